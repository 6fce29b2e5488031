#!/usr/bin/env bash
# Builds VictoriaLogs v1.52.1 (the log store, Apache-2.0) from the Go module proxy and prints
# the binary's path. The module has no replace directives, so `go install` builds it directly;
# the binary embeds the web UI (/select/vmui/). Cached by version.
# Usage: build-victorialogs.sh [--if-built]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/lib.sh"

go_install_cached victoria-logs github.com/VictoriaMetrics/VictoriaLogs/app/victoria-logs v1.52.1 "about two minutes" "${1:-}"
