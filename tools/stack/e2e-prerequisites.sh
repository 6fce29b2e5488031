#!/usr/bin/env bash
# What the end-to-end tests need beyond npm: the collector, Jaeger, VictoriaLogs and
# VictoriaMetrics built from the Go module proxy (cached outside the clone; no system change, no opt-in), Debian's
# chromium for the browser tests, and a compose implementation to check docker-compose.yml.
# Installs the Debian packages when they are missing only where the tests may change the
# machine (CI=true, or SESSION_SERVICE_INSTALL=1; see lib.sh) and as root. Outside CI, what it
# may not get is printed and the suites that need it are skipped (test/stack/support/
# require-prerequisites.ts); in CI a missing prerequisite fails.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

# build NAME SCRIPT: reports a cached binary, or builds it when Go is there (CI: required).
build() {
  local name="$1" script="$2" binary
  if binary="$(bash "$here/$script" --if-built)"; then
    log "$name: $binary"
  elif command -v go >/dev/null || [[ "${CI:-}" == "true" ]]; then
    log "$name: building with Go into $BIN_DIR (a first build of the four takes about 10 minutes; later runs reuse them)"
    # Assigned first: a failed build must stop the script (set -e), not print an empty path.
    binary="$(bash "$here/$script")"
    log "$name: $binary"
  else
    log "$name: not built: Go is not on PATH (https://go.dev/dl); the suites that run it are skipped"
  fi
}

# tool COMMAND PACKAGE: reports COMMAND's path, installing PACKAGE where allowed (CI: required).
tool() {
  local path code=0
  path="$(bash "$here/install-missing.sh" "$1" "$2")" || code=$?
  if [[ $code -eq 0 ]]; then
    log "$1: $path"
  elif [[ $code -eq $NOT_ALLOWED ]]; then
    log "$1: missing; the suites that need it are skipped"
  else
    exit "$code"
  fi
}

build collector build-collector.sh
build jaeger build-jaeger.sh
build victorialogs build-victorialogs.sh
build victoriametrics build-victoriametrics.sh
tool chromium chromium
tool docker-compose docker-compose
