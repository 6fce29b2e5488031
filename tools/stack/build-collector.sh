#!/usr/bin/env bash
# Builds the OpenTelemetry Collector described by tools/stack/otelcol-builder.yaml from the Go
# module proxy and prints the binary's path. Cached by builder version and manifest hash.
# Usage: build-collector.sh [--if-built]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

BUILDER_VERSION=v0.161.0
manifest="$here/otelcol-builder.yaml"
key="$(sha256sum "$manifest" | cut -c1-12)"
binary="$BIN_DIR/otelcol-0.161.0-$key"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi
# --if-built: only report a cached binary, never build (exit 3 when there is none).
[[ "${1:-}" == "--if-built" ]] && exit 3
require_go

builder="$BIN_DIR/ocb-$BUILDER_VERSION"
if [[ ! -x "$builder" ]]; then
  log "installing the collector builder $BUILDER_VERSION"
  GOBIN="$BIN_DIR/ocb-tmp" go install "go.opentelemetry.io/collector/cmd/builder@$BUILDER_VERSION"
  mv "$BIN_DIR/ocb-tmp/builder" "$builder"
  rmdir "$BIN_DIR/ocb-tmp"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
log "building the collector (first time: a few minutes)"
"$builder" --config "$manifest" --output-path "$work/dist" >&2
mv "$work/dist/otelcol-contrib" "$binary.tmp"
mv "$binary.tmp" "$binary"
log "collector ready: $binary"
echo "$binary"
