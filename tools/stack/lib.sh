# Shared by the build scripts: where heavy builds are cached, outside the clone, keyed by version.
CACHE_DIR="${SESSION_SERVICE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/session-context-service}"
export GOMODCACHE="$CACHE_DIR/go/mod"
export GOCACHE="$CACHE_DIR/go/build"
export GOFLAGS=-modcacherw
export CGO_ENABLED=0
BIN_DIR="$CACHE_DIR/bin"
mkdir -p "$BIN_DIR"

log() { printf '%s %s\n' "[$(date +%H:%M:%S)]" "$*" >&2; }

require_go() {
  command -v go >/dev/null || { log "Go is required (https://go.dev/dl or apt-get install golang)"; exit 2; }
}

# May the tests change this machine: install Debian packages, start dockerd? In CI (CI=true, a
# fresh machine made for it) yes; elsewhere only when the user opted in with
# SESSION_SERVICE_INSTALL=1. test/stack/support/prerequisite-decision.ts applies the same rule.
system_changes_allowed() {
  [[ "${CI:-}" == "true" || "${SESSION_SERVICE_INSTALL:-}" == "1" ]]
}

# Exit code of a script that refused to change the machine (not allowed): the suites skip.
NOT_ALLOWED=3
