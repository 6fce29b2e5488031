import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { parse } from 'yaml';
import { readCoreConfig } from '../../../src/core/index.ts';
import { parseComposeDuration } from '../support/compose-duration.ts';
import { requirePrerequisites } from '../support/require-prerequisites.ts';
import { VICTORIAMETRICS_FLAGS } from '../support/victoria-metrics.ts';

const projectRoot = fileURLToPath(new URL('../../../', import.meta.url));

interface ComposeService {
  image?: string;
  build?: unknown;
  /** Long form, or the short form `host_ip:published:target/protocol` compose 1.29 prints for a host IP. */
  ports?: ({ published: number | string; target: number } | string)[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number };
  volumes?: (string | { source: string; target: string; read_only?: boolean })[];
  command?: string[];
  stop_grace_period?: string;
}

/** A volume entry as text, `source:target[:mode]`, whichever form compose printed. */
const volumeText = (volume: NonNullable<ComposeService['volumes']>[number]): string =>
  typeof volume === 'string' ? volume : `${volume.source}:${volume.target}`;

describe('docker-compose.yml, as a real compose implementation reads it', () => {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e compose-file', ['docker-compose']);
  });

  const source = parse(readFileSync(`${projectRoot}docker-compose.yml`, 'utf8')) as Record<string, unknown>;
  let normalized: { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
  let services: Record<string, ComposeService>;
  before(() => {
    // `config` validates the file against the compose schema and prints it normalized.
    normalized = parse(
      execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: projectRoot, env: { PATH: process.env['PATH'] ?? '' } }).toString('utf8'),
    ) as typeof normalized;
    services = normalized.services;
  });
  const published = (name: string): number[] =>
    (services[name]?.ports ?? []).map((port) => Number(typeof port === 'string' ? port.split(':').at(-2) : port.published));
  const hostIps = (name: string): string[] =>
    (services[name]?.ports ?? []).map((port) => (typeof port === 'string' && port.split(':').length === 3 ? port.split(':')[0]! : '0.0.0.0'));

  it('has no top-level version key', () => {
    expect(source).not.to.have.property('version');
  });

  it('runs api, orders, the collector, Jaeger, VictoriaLogs and its probe, and VictoriaMetrics on pinned images', () => {
    expect(Object.keys(services).sort()).to.deep.equal(['api', 'jaeger', 'orders', 'otel-collector', 'victorialogs', 'victorialogs-probe', 'victoriametrics']);
    expect(services['otel-collector']!.image).to.equal('otel/opentelemetry-collector-contrib:0.161.0');
    expect(services['jaeger']!.image).to.equal('jaegertracing/jaeger:2.13.0');
    expect(services['victorialogs']!.image).to.equal('victoriametrics/victoria-logs:v1.52.1');
    expect(services['victoriametrics']!.image).to.equal('victoriametrics/victoria-metrics:v1.151.0');
    for (const service of Object.values(services)) expect(service.image).to.match(/:[0-9A-Za-z.-]+$/).and.not.match(/:latest$/);
  });

  it('builds api from the project Dockerfile and orders, a service of its own, from services/orders/Dockerfile', () => {
    const context = (service: string): unknown => (services[service]!.build as { context?: unknown } | undefined)?.context;
    expect(context('api')).to.equal(projectRoot.replace(/\/$/, ''));
    expect(context('orders')).to.equal(projectRoot.replace(/\/$/, ''));
    expect(services['orders']!.build).to.include({ dockerfile: 'services/orders/Dockerfile' });
    expect(services['api']!.image).to.not.equal(services['orders']!.image);
  });

  it('publishes only the ports a user needs: 3000 (api), 16686 (Jaeger UI and API), 9428 (VictoriaLogs UI and API) and 8428 (VictoriaMetrics UI and API)', () => {
    expect(published('api')).to.deep.equal([3000]);
    expect(published('jaeger')).to.deep.equal([16686]);
    expect(published('victorialogs')).to.deep.equal([9428]);
    expect(published('victoriametrics')).to.deep.equal([8428]);
    // The trace and log stores hold session ids, the metrics store what the services serve:
    // reachable from this machine only.
    expect(hostIps('jaeger')).to.deep.equal(['127.0.0.1']);
    expect(hostIps('victorialogs')).to.deep.equal(['127.0.0.1']);
    expect(hostIps('victoriametrics')).to.deep.equal(['127.0.0.1']);
    expect(published('orders')).to.deep.equal([]);
    expect(published('otel-collector')).to.deep.equal([]);
    expect(published('victorialogs-probe')).to.deep.equal([]);
  });

  it('makes api the edge that calls orders, and orders the internal service that trusts its baggage', () => {
    expect(services['api']!.environment).to.include({
      OTEL_SERVICE_NAME: 'api',
      DOWNSTREAM_URL: 'http://orders:3000/api/orders',
      BAGGAGE_ALLOWED_HOSTS: 'orders',
      PROPAGATE_USER_ID: 'true',
    });
    expect(services['api']!.environment).not.to.have.property('TRUST_INCOMING_BAGGAGE');
    expect(services['orders']!.environment).to.include({ OTEL_SERVICE_NAME: 'orders', TRUST_INCOMING_BAGGAGE: 'true' });
    // orders is not the demo: it has no login and reads no token secret.
    expect(services['orders']!.environment).not.to.have.property('TOKEN_SECRET');
    for (const name of ['api', 'orders']) {
      expect(services[name]!.environment!['OTEL_EXPORTER_OTLP_ENDPOINT']).to.equal('http://otel-collector:4318');
    }
  });

  it('starts services in dependency order, waiting for health where the image has a healthcheck', () => {
    expect(services['api']!.depends_on).to.deep.equal({
      orders: { condition: 'service_healthy' },
      'otel-collector': { condition: 'service_started' },
    });
    // VictoriaLogs' image (distroless, v1.52.1) has no program a healthcheck could run: its
    // probe, a container with wget, runs the store's healthcheck over the network.
    expect(services['otel-collector']!.depends_on).to.deep.equal({
      jaeger: { condition: 'service_healthy' },
      'victorialogs-probe': { condition: 'service_healthy' },
      victoriametrics: { condition: 'service_healthy' },
    });
    // Jaeger stores and serves traces without the metrics store (its Monitor tab asks it at each
    // query): it waits for nothing.
    expect(services['jaeger']!.depends_on).to.equal(undefined);
    expect(services['victorialogs-probe']!.depends_on).to.deep.equal({ victorialogs: { condition: 'service_started' } });
    expect(services['victorialogs-probe']!.healthcheck!.test.join(' ')).to.include('http://victorialogs:9428/health');
    expect(services['victorialogs']!.healthcheck).to.equal(undefined);
    expect(services['jaeger']!.healthcheck!.test.join(' ')).to.include('13133/status');
    // VictoriaMetrics' image is Alpine-based: the healthcheck runs busybox's wget inside it.
    expect(services['victoriametrics']!.healthcheck).to.deep.include({
      test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:8428/health'],
      interval: '5s',
      timeout: '3s',
      retries: 10,
    });
  });

  it('gives api and orders a stop grace period longer than their shutdown budget when compose stops them', () => {
    for (const name of ['api', 'orders']) {
      const service = services[name]!;
      // Docker's default (10 s) equals the default SHUTDOWN_TIMEOUT_MS: SIGKILL could land during the flush.
      expect(service.stop_grace_period, `${name}: stop_grace_period`).to.be.a('string');
      const budgetMs = readCoreConfig({ SHUTDOWN_TIMEOUT_MS: service.environment?.['SHUTDOWN_TIMEOUT_MS'] ?? '' }).shutdownTimeoutMs;
      expect(parseComposeDuration(service.stop_grace_period!), `${name}: stop_grace_period in ms`).to.be.at.least(budgetMs + 1000);
    }
  });

  it('mounts the repository otel-collector.yaml where the official collector image reads its config', () => {
    const [volume] = services['otel-collector']!.volumes!;
    expect(volumeText(volume!)).to.match(/otel-collector\.yaml:\/etc\/otelcol-contrib\/config\.yaml/);
    expect(services['otel-collector']!.environment).to.deep.equal({
      JAEGER_OTLP_ENDPOINT: 'jaeger:4317',
      VICTORIALOGS_URL: 'http://victorialogs:9428',
      VICTORIAMETRICS_URL: 'http://victoriametrics:8428',
    });
  });

  it('keeps the log store in a named volume at the data path it is told, so logs survive a restart', () => {
    const store = services['victorialogs']!;
    expect(store.command).to.deep.equal(['-storageDataPath=/victoria-logs-data']);
    expect(store.volumes!.map(volumeText)).to.deep.equal(['victorialogs-data:/victoria-logs-data:rw']);
    expect(normalized.volumes).to.have.property('victorialogs-data');
  });

  it('keeps the metrics store in a named volume, 30 days, with the flags the end-to-end tests run it with', () => {
    const store = services['victoriametrics']!;
    expect(store.command).to.deep.equal(['-storageDataPath=/victoria-metrics-data', ...VICTORIAMETRICS_FLAGS]);
    expect(store.command).to.include('-retentionPeriod=30d');
    expect(store.volumes!.map(volumeText)).to.deep.equal(['victoriametrics-data:/victoria-metrics-data:rw']);
    expect(normalized.volumes).to.have.property('victoriametrics-data');
  });

  it("runs Jaeger on the repository jaeger.yaml, its traces in Badger in a named volume on the image's /tmp", () => {
    const jaeger = services['jaeger']!;
    expect(jaeger.command).to.deep.equal(['--config', '/etc/jaeger/config.yaml']);
    expect(jaeger.volumes!.map(volumeText)).to.deep.equal([
      `${projectRoot}jaeger.yaml:/etc/jaeger/config.yaml:ro`,
      `${projectRoot}jaeger-ui.json:/etc/jaeger/ui.json:ro`,
      'jaeger-data:/tmp:rw',
    ]);
    expect(normalized.volumes).to.have.property('jaeger-data');
  });

  it("gives Jaeger's UI the repository jaeger-ui.json, whose links lead from a trace and a session.id to VictoriaLogs' UI", () => {
    const jaeger = services['jaeger']!;
    expect(jaeger.volumes!.map(volumeText)).to.include(`${projectRoot}jaeger-ui.json:/etc/jaeger/ui.json:ro`);
    const uiConfig = JSON.parse(readFileSync(`${projectRoot}jaeger-ui.json`, 'utf8')) as { linkPatterns: { type: string; key?: string; url: string }[] };
    const byType = new Map(uiConfig.linkPatterns.map((pattern) => [pattern.type, pattern]));
    expect(byType.get('traces')!.url).to.match(/^http:\/\/localhost:9428\/select\/vmui\/#\/\?query=trace_id%3A%3D%22#\{traceID\}%22/);
    expect(byType.get('tags')).to.include({ key: 'session.id' });
    expect(byType.get('tags')!.url).to.match(/^http:\/\/localhost:9428\/select\/vmui\/#\/\?query=session\.id%3A%3D%22#\{session\.id\}%22/);
  });
});
