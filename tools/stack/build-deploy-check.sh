#!/usr/bin/env bash
# Builds tools/deploy-check (kustomize build + strict decoding into the Kubernetes API's Go types)
# and prints the binary's path. Cached under $BIN_DIR by the hash of the checker's sources.
# Usage: build-deploy-check.sh [--if-built]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

source_dir="$(cd "$here/../deploy-check" && pwd)"
key="$(cd "$source_dir" && cat go.mod go.sum ./*.go | sha256sum | cut -c1-12)"
binary="$BIN_DIR/deploy-check-$key"
if [[ -x "$binary" ]]; then
  echo "$binary"
  exit 0
fi
# --if-built: only report a cached binary, never build (exit 3 when there is none).
[[ "${1:-}" == "--if-built" ]] && exit 3
require_go

log "building deploy-check (first time: about a minute)"
(cd "$source_dir" && go build -trimpath -o "$binary.tmp" .)
mv "$binary.tmp" "$binary"
log "deploy-check ready: $binary"
echo "$binary"
