#!/usr/bin/env bash
# Builds Jaeger 2.13.0 from the Go module proxy and prints the binary's path.
# Usage: build-jaeger.sh [--if-built]
# The module github.com/jaegertracing/jaeger@v1.76.0 is the same commit as Jaeger 2.13.0 (v2
# tags cannot be fetched: the module path has no /v2). Its go.mod has a replace directive,
# so `go install` refuses it: download the module, copy it out of the read-only module
# cache and build ./cmd/jaeger inside the copy. Cached by version.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

MODULE=github.com/jaegertracing/jaeger
MODULE_VERSION=v1.76.0
binary="$BIN_DIR/jaeger-2.13.0"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi
# --if-built: only report a cached binary, never build (exit 3 when there is none).
[[ "${1:-}" == "--if-built" ]] && exit 3
require_go

log "downloading $MODULE@$MODULE_VERSION (first time: a large download)"
source_dir="$(cd "$(mktemp -d)" && go mod download -json "$MODULE@$MODULE_VERSION" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
[[ -d "$source_dir" ]] || { log "go mod download did not report a module directory"; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r "$source_dir" "$work/jaeger"
chmod -R u+w "$work/jaeger"
log "building jaeger (first time: several minutes)"
(cd "$work/jaeger" && go build -trimpath -o "$binary.tmp" ./cmd/jaeger)
mv "$binary.tmp" "$binary"
log "jaeger ready: $binary"
echo "$binary"
