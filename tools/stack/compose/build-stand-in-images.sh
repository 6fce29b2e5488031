#!/usr/bin/env bash
# No container registry is reachable here, so the six images docker-compose.yml names are
# built locally, under the same names and tags, from the same programs:
#   node:24-slim                                  Debian bookworm (debootstrap) + Node 24 and npm from the npm registry
#   otel/opentelemetry-collector-contrib:0.161.0  FROM scratch + the collector built by tools/stack/build-collector.sh
#   jaegertracing/jaeger:2.13.0                   FROM scratch + Jaeger built by tools/stack/build-jaeger.sh (+ busybox wget for its healthcheck)
#   victoriametrics/victoria-logs:v1.52.1         FROM scratch + VictoriaLogs built by tools/stack/build-victorialogs.sh
#   victoriametrics/victoria-metrics:v1.151.0     FROM scratch + VictoriaMetrics built by tools/stack/build-victoriametrics.sh (+ busybox wget for its healthcheck)
#   busybox:1.37.0                                FROM scratch + Debian's static busybox as sh, sleep and wget (the store's probe)
# Each image carries a label with a hash of its inputs; an image whose inputs did not change
# is not rebuilt. Needs a running engine (docker-engine.sh start) and root for debootstrap.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
source "$here/../lib.sh"

NODE_BINARY="$root/node_modules/node/bin/node"
NPM_VERSION=11.19.1
LABEL=session-context-service.stand-in-key

# The label of image $1, or nothing.
current_key() { docker image inspect --format "{{ index .Config.Labels \"$LABEL\" }}" "$1" 2>/dev/null || true; }

# build_image TAG KEY CONTEXT: builds CONTEXT/Dockerfile as TAG unless TAG already has KEY.
build_image() {
  local tag="$1" key="$2" context="$3"
  if [[ "$(current_key "$tag")" == "$key" ]]; then
    log "$tag: up to date"
    return
  fi
  log "$tag: building"
  docker build --quiet --label "$LABEL=$key" --tag "$tag" "$context" >&2
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- node:24-slim ------------------------------------------------------------------------
[[ -x "$NODE_BINARY" ]] || { log "no $NODE_BINARY: run npm ci first"; exit 2; }
node_key="$(cat "$0" /usr/local/share/ca-certificates/*.crt 2>/dev/null | sha256sum | cut -c1-12)-$("$NODE_BINARY" --version)-npm$NPM_VERSION"
if [[ "$(current_key node:24-slim)" != "$node_key" ]]; then
  rootfs_tar="$CACHE_DIR/images/bookworm-minbase.tar"
  if [[ ! -f "$rootfs_tar" ]]; then
    bash "$here/../install-missing.sh" debootstrap debootstrap >/dev/null
    log "debootstrap bookworm (about 30 s)"
    mkdir -p "$CACHE_DIR/images"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$work/rootfs" http://deb.debian.org/debian >&2
    rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
    tar -C "$work/rootfs" -cf "$rootfs_tar.tmp" .
    mv "$rootfs_tar.tmp" "$rootfs_tar"
  fi
  docker import "$rootfs_tar" session-context-service/bookworm-minbase:local >/dev/null
  mkdir -p "$work/node/npm" "$work/node/extra-ca"
  cp "$NODE_BINARY" "$work/node/node"
  # Trust the extra CAs this machine trusts (a TLS-inspecting egress proxy signs the npm
  # registry's certificate with one), so `npm ci` inside the build reaches the registry.
  cp /usr/local/share/ca-certificates/*.crt "$work/node/extra-ca/" 2>/dev/null || true
  (cd "$work" && npm pack --silent "npm@$NPM_VERSION" >/dev/null && tar -xzf "npm-$NPM_VERSION.tgz" -C "$work/node/npm" --strip-components=1)
  cat >"$work/node/Dockerfile" <<'DOCKERFILE'
FROM session-context-service/bookworm-minbase:local
# As the official image: node and npm in /usr/local, a `node` user with uid and gid 1000.
COPY node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
COPY extra-ca/ /usr/local/share/ca-certificates/
RUN update-ca-certificates >/dev/null \
 && ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
 && groupadd --gid 1000 node \
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \
 && node --version && npm --version
ENV NODE_VERSION=24 \
    NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
CMD ["node"]
DOCKERFILE
  build_image node:24-slim "$node_key" "$work/node"
else
  log "node:24-slim: up to date"
fi

# --- otel/opentelemetry-collector-contrib:0.161.0 -------------------------------------------
collector="$(bash "$here/../build-collector.sh")"
mkdir -p "$work/collector"
cp "$collector" "$work/collector/otelcol-contrib"
cp "$root/otel-collector.yaml" "$work/collector/config.yaml"
cat >"$work/collector/Dockerfile" <<'DOCKERFILE'
# As the official image: binary /otelcol-contrib, config /etc/otelcol-contrib/config.yaml, user 10001.
FROM scratch
COPY otelcol-contrib /otelcol-contrib
COPY config.yaml /etc/otelcol-contrib/config.yaml
USER 10001
EXPOSE 4317 4318 13133
ENTRYPOINT ["/otelcol-contrib"]
CMD ["--config", "/etc/otelcol-contrib/config.yaml"]
DOCKERFILE
collector_key="$(cat "$0" "$work/collector/otelcol-contrib" "$work/collector/config.yaml" | sha256sum | cut -c1-16)"
build_image otel/opentelemetry-collector-contrib:0.161.0 "$collector_key" "$work/collector"

# --- jaegertracing/jaeger:2.13.0 ------------------------------------------------------------
jaeger="$(bash "$here/../build-jaeger.sh")"
mkdir -p "$work/jaeger/rootfs/bin" "$work/jaeger/rootfs/tmp"
cp "$jaeger" "$work/jaeger/jaeger-linux"
busybox_deb_dir="$work/busybox"
mkdir -p "$busybox_deb_dir"
# apt-get download installs nothing; refreshing the package lists changes the machine.
(cd "$busybox_deb_dir" && apt-get download busybox-static >/dev/null 2>&1 || { system_changes_allowed && apt-get update -qq && apt-get download busybox-static; } >&2)
dpkg-deb -x "$busybox_deb_dir"/busybox-static_*.deb "$busybox_deb_dir/root"
# busybox picks its applet from the name it is called by.
cp "$busybox_deb_dir/root/bin/busybox" "$work/jaeger/rootfs/bin/wget"
# As Alpine's, the official image's base: user 10001 writes Badger's files under /tmp.
chmod 1777 "$work/jaeger/rootfs/tmp"
cat >"$work/jaeger/Dockerfile" <<'DOCKERFILE'
# As the official image: /cmd/jaeger/jaeger-linux, JAEGER_LISTEN_HOST=0.0.0.0, /tmp a volume of
# mode 1777, user 10001; plus a static wget for the compose healthcheck. The folders come in by
# copying rootfs/ onto /: COPY keeps the mode of what it copies, not of the folder it copies
# into (`COPY tmp /tmp` would leave /tmp at 755, which user 10001 cannot write to).
FROM scratch
COPY jaeger-linux /cmd/jaeger/jaeger-linux
COPY rootfs/ /
ENV JAEGER_LISTEN_HOST=0.0.0.0
USER 10001
EXPOSE 4317 4318 13133 16686
VOLUME ["/tmp"]
ENTRYPOINT ["/cmd/jaeger/jaeger-linux"]
DOCKERFILE
jaeger_key="$(cat "$0" "$work/jaeger/jaeger-linux" "$work/jaeger/rootfs/bin/wget" | sha256sum | cut -c1-16)"
build_image jaegertracing/jaeger:2.13.0 "$jaeger_key" "$work/jaeger"

# --- victoriametrics/victoria-logs:v1.52.1 -----------------------------------------------------
victorialogs="$(bash "$here/../build-victorialogs.sh")"
mkdir -p "$work/victorialogs/tmp"
cp "$victorialogs" "$work/victorialogs/victoria-logs-prod"
chmod 1777 "$work/victorialogs/tmp"
cat >"$work/victorialogs/Dockerfile" <<'DOCKERFILE'
# As the official image (app/victoria-logs/multiarch/Dockerfile of v1.52.1 on distroless/static,
# which runs as root from /): binary /victoria-logs-prod as the entrypoint, port 9428, no shell,
# no HTTP client, no HEALTHCHECK.
FROM scratch
COPY victoria-logs-prod /victoria-logs-prod
COPY tmp /tmp
EXPOSE 9428
ENTRYPOINT ["/victoria-logs-prod"]
DOCKERFILE
victorialogs_key="$(cat "$0" "$work/victorialogs/victoria-logs-prod" | sha256sum | cut -c1-16)"
build_image victoriametrics/victoria-logs:v1.52.1 "$victorialogs_key" "$work/victorialogs"

# --- victoriametrics/victoria-metrics:v1.151.0 ----------------------------------------------
victoriametrics="$(bash "$here/../build-victoriametrics.sh")"
mkdir -p "$work/victoriametrics/bin"
cp "$victoriametrics" "$work/victoriametrics/victoria-metrics-prod"
cp "$busybox_deb_dir/root/bin/busybox" "$work/victoriametrics/bin/wget"
cat >"$work/victoriametrics/Dockerfile" <<'DOCKERFILE'
# As the official image (app/victoria-metrics/multiarch/Dockerfile of v1.151.0 on Alpine, which
# runs as root from /): binary /victoria-metrics-prod as the entrypoint, port 8428; Alpine's
# busybox wget, which the compose healthcheck runs, is a static busybox here.
FROM scratch
COPY victoria-metrics-prod /victoria-metrics-prod
COPY bin/wget /bin/wget
EXPOSE 8428
ENTRYPOINT ["/victoria-metrics-prod"]
DOCKERFILE
victoriametrics_key="$(cat "$0" "$work/victoriametrics/victoria-metrics-prod" "$work/victoriametrics/bin/wget" | sha256sum | cut -c1-16)"
build_image victoriametrics/victoria-metrics:v1.151.0 "$victoriametrics_key" "$work/victoriametrics"

# --- busybox:1.37.0 ---------------------------------------------------------------------------
# The store's probe needs sleep and wget, as the official image has them in /bin. Debian's
# busybox-static (1.35) stands in for 1.37: both applets behave alike for this use.
mkdir -p "$work/busybox-image/bin"
for applet in sh sleep wget; do cp "$busybox_deb_dir/root/bin/busybox" "$work/busybox-image/bin/$applet"; done
cat >"$work/busybox-image/Dockerfile" <<'DOCKERFILE'
# As the official image: applets in /bin, PATH /bin, no entrypoint, sh by default.
FROM scratch
COPY bin /bin
ENV PATH=/bin
CMD ["sh"]
DOCKERFILE
busybox_key="$(cat "$0" "$work/busybox-image/bin/sh" | sha256sum | cut -c1-16)"
build_image busybox:1.37.0 "$busybox_key" "$work/busybox-image"
log "stand-in images ready"
