#!/usr/bin/env bash
# Builds VictoriaMetrics v1.151.0 (the metrics store, Apache-2.0: Prometheus-compatible query
# API, OTLP ingestion, web UI at /vmui) from the Go module proxy and prints the binary's path.
# The module has no replace directives, so `go install` builds it directly. Cached by version.
# Usage: build-victoriametrics.sh [--if-built]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

go_install_cached victoria-metrics github.com/VictoriaMetrics/VictoriaMetrics/app/victoria-metrics v1.151.0 "about a minute" "${1:-}"
