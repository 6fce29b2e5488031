#!/usr/bin/env bash
# Usage: install-missing.sh COMMAND PACKAGE
# Installs Debian's PACKAGE when COMMAND is not on PATH and we are root (a fresh CI machine);
# prints COMMAND's path. For what the end-to-end tests run beyond npm and the Go builds:
# docker-compose, and Debian's chromium, which test/stack/e2e/log-store-ui.test.ts drives
# headless through playwright-core (never a browser playwright downloads).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
command="$1"
package="$2"

if ! command -v "$command" >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    log "$command is missing: install it (apt-get install $package) or run as root"
    exit 2
  fi
  log "installing Debian's $package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "$package" >&2
fi
command -v "$command"
