#!/usr/bin/env bash
# What the end-to-end tests need beyond npm: the collector, Jaeger and VictoriaLogs built from
# the Go module proxy (cached outside the clone), Debian's chromium for the log store's UI
# test, and a compose implementation to check docker-compose.yml. Installs the Debian
# packages when they are missing and we are root.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

log "collector: $(bash "$here/build-collector.sh")"
log "jaeger: $(bash "$here/build-jaeger.sh")"
log "victorialogs: $(bash "$here/build-victorialogs.sh")"
log "chromium: $(bash "$here/install-missing.sh" chromium chromium)"
log "compose: $(bash "$here/install-missing.sh" docker-compose docker-compose) $(docker-compose version --short)"
