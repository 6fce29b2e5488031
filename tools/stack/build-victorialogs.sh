#!/usr/bin/env bash
# Builds VictoriaLogs v1.52.1 (the log store, Apache-2.0) from the Go module proxy and prints
# the binary's path. The module has no replace directives, so `go install` builds it directly;
# the binary embeds the web UI (/select/vmui/). Cached by version.
# Usage: build-victorialogs.sh [--if-built]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

VERSION=v1.52.1
binary="$BIN_DIR/victoria-logs-$VERSION"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi
# --if-built: only report a cached binary, never build (exit 3 when there is none).
[[ "${1:-}" == "--if-built" ]] && exit 3
require_go

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "building victoria-logs $VERSION (first time: about two minutes)"
GOBIN="$work" go install -trimpath "github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs@$VERSION"
mv "$work/victoria-logs" "$binary"
log "victoria-logs ready: $binary"
echo "$binary"
