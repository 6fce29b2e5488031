#!/usr/bin/env bash
# Builds VictoriaMetrics v1.151.0 (the metrics store, Apache-2.0: Prometheus-compatible query
# API, OTLP ingestion, web UI at /vmui) from the Go module proxy and prints the binary's path.
# The module has no replace directives, so `go install` builds it directly. Cached by version.
# Usage: build-victoriametrics.sh [--if-built]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

VERSION=v1.151.0
binary="$BIN_DIR/victoria-metrics-$VERSION"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi
# --if-built: only report a cached binary, never build (exit 3 when there is none).
[[ "${1:-}" == "--if-built" ]] && exit 3
require_go

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "building victoria-metrics $VERSION (first time: about a minute)"
GOBIN="$work" go install -trimpath "github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics@$VERSION"
mv "$work/victoria-metrics" "$binary"
log "victoria-metrics ready: $binary"
echo "$binary"
