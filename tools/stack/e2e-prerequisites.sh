#!/usr/bin/env bash
# What the end-to-end tests need beyond npm: the collector and Jaeger built from the Go
# module proxy (cached outside the clone), and a compose implementation to check
# docker-compose.yml. Installs Debian's docker-compose when it is missing and we are root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

log "collector: $(bash "$here/build-collector.sh")"
log "jaeger: $(bash "$here/build-jaeger.sh")"

if ! command -v docker-compose >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    log "docker-compose is missing: install it (apt-get install docker-compose) or run as root"
    exit 2
  fi
  log "installing Debian's docker-compose"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq docker-compose >&2
fi
log "compose: $(docker-compose version --short)"
