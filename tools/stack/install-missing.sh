#!/usr/bin/env bash
# Usage: install-missing.sh COMMAND PACKAGE
# Prints COMMAND's path. When COMMAND is not on PATH, installs Debian's PACKAGE, but only where
# the tests may change the machine (CI=true or SESSION_SERVICE_INSTALL=1, see lib.sh) and as
# root; otherwise says so and exits 3 (not allowed) or 2 (not root). For what the end-to-end
# tests run beyond npm and the Go builds: docker-compose, debootstrap, and Debian's chromium,
# which test/stack/e2e/log-store-ui.test.ts drives headless through playwright-core (never a
# browser playwright downloads).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"
command="$1"
package="$2"

if ! command -v "$command" >/dev/null; then
  if ! system_changes_allowed; then
    log "$command is missing; not installing Debian's $package outside CI: set SESSION_SERVICE_INSTALL=1 to let the tests install it (as root), or install it yourself (apt-get install $package)"
    exit "$NOT_ALLOWED"
  fi
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
