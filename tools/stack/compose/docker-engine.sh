#!/usr/bin/env bash
# docker-engine.sh start|stop: makes sure a Docker engine answers, and stops only one this
# script started. Installs Debian's docker.io (engine 20.10) when no engine is installed.
# Installs and starts nothing unless the tests may change the machine (CI=true or
# SESSION_SERVICE_INSTALL=1, see lib.sh): without that, it exits 3 (not allowed) when no engine answers.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../lib.sh"
pidfile="$CACHE_DIR/dockerd.pid"

start() {
  if docker info >/dev/null 2>&1; then
    log "docker engine already running"
    return
  fi
  if ! system_changes_allowed; then
    log "no Docker engine answers; not installing or starting one outside CI: set SESSION_SERVICE_INSTALL=1 to let the tests install docker.io and start dockerd (as root), or start an engine yourself"
    exit "$NOT_ALLOWED"
  fi
  if ! command -v dockerd >/dev/null; then
    [[ $(id -u) -eq 0 ]] || { log "no Docker engine: install docker.io (as root) or start one"; exit 2; }
    log "installing Debian's docker.io"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq docker.io >&2
  fi
  if docker info >/dev/null 2>&1; then return; fi
  log "starting dockerd"
  nohup dockerd >"$CACHE_DIR/dockerd.log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && { log "docker engine up"; return; }
    sleep 1
  done
  log "dockerd did not answer within 60 s; its log:"
  tail -n 30 "$CACHE_DIR/dockerd.log" >&2
  exit 1
}

stop() {
  [[ -f "$pidfile" ]] || return 0
  local pid
  pid="$(cat "$pidfile")"
  rm -f "$pidfile"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    log "docker engine stopped"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
