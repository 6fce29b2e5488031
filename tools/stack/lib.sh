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

# go_install_cached NAME MODULE_PACKAGE VERSION WHAT [--if-built]: prints the path of the binary
# NAME that `go install MODULE_PACKAGE@VERSION` builds, cached as $BIN_DIR/NAME-VERSION; builds
# it first when there is none (WHAT says how long, in the log). For modules without replace
# directives. With --if-built, only reports a cached binary (exit 3 when there is none).
go_install_cached() {
  local name="$1" package="$2" version="$3" what="$4" mode="${5:-}"
  local binary="$BIN_DIR/$name-$version"
  if [[ -x "$binary" ]]; then
    echo "$binary"
    return 0
  fi
  [[ "$mode" == "--if-built" ]] && exit 3
  require_go
  local work
  work="$(mktemp -d)"
  log "building $name $version (first time: $what)"
  if ! GOBIN="$work" go install -trimpath "$package@$version"; then
    rm -rf "$work"
    exit 1
  fi
  mv "$work/$name" "$binary"
  rm -rf "$work"
  log "$name ready: $binary"
  echo "$binary"
}
