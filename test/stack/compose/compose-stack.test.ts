import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { ComposeProject } from '../support/compose-project.ts';
import { driveSession, type DrivenSession } from '../support/e2e-stack.ts';
import { shownSessionOnceStarted } from '../support/demo-page.ts';
import { launchHeadlessChromium } from '../support/headless-chromium.ts';
import { searchTraces, servicesOf, tagOf, type JaegerTrace } from '../support/jaeger-query.ts';
import { operationMetrics, type OperationMetricsQuery } from '../support/jaeger-metrics.ts';
import { countedWindow, flushesOf, type CountedWindow, type SpanMetricsFlush } from '../support/span-metric-flushes.ts';
import { runTraceCommand } from '../../tools/support/cli-process.ts';
import { answersOk } from '../../core/support/probes.ts';
import { waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import {
  expectDownstreamAcrossServices,
  expectEveryRequestFound,
  expectFoundByHashedUser,
  expectSessionTags,
  searchUntil,
} from '../support/session-checks.ts';
import { expectSessionLogs } from '../support/session-log-checks.ts';
import { exactly } from '../support/logs-query.ts';
import { queryLogs, queryStreams, streamFields, type StoredLogRecord } from '../support/victoria-logs.ts';
import { exportSeries, queryMetrics } from '../support/victoria-metrics.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

const API_URL = 'http://127.0.0.1:3000';
const JAEGER_URL = 'http://127.0.0.1:16686';
const STORE_URL = 'http://127.0.0.1:9428';
const METRICS_URL = 'http://127.0.0.1:8428';

/**
 * How long a request takes at most to show in the RED metrics here: the service's span batch
 * (the SDK's default 5 s, which the compose file keeps), one flush interval of the collector's
 * span_metrics (its default 15 s, which the compose file keeps), and 10 s for the batch
 * processor, VictoriaMetrics' ingestion and a loaded machine.
 */
const RED_METRICS_DEADLINE_MS = 5_000 + 15_000 + 10_000;

/**
 * The same for the first request of an operation (a new series): the connector sends a new
 * series as 0 at its first flush and its count from the next (so that a rate over the series
 * sees the first requests), one flush interval later.
 */
const NEW_SERIES_DEADLINE_MS = RED_METRICS_DEADLINE_MS + 15_000;

/**
 * The RED metrics of api's server spans: the calls counted, by span name, in each flush stored,
 * up to 2 s ago. VictoriaMetrics answers a query whose time is within its -search.latencyOffset
 * (1 s) of now as if asked that much earlier: a flush read here is older than that by the time
 * Jaeger is asked about it.
 */
async function apiFlushes(): Promise<SpanMetricsFlush[]> {
  const untilMs = Date.now() - 2000;
  const raw = await exportSeries(METRICS_URL, 'traces_span_metrics_calls_total{service_name="api",span_kind="SPAN_KIND_SERVER"}');
  return flushesOf(raw).filter((flush) => flush.timestampMs <= untilMs);
}

/** One request to api in session `sessionId`; returns its status. */
async function request(path: string, sessionId: string): Promise<number> {
  const response = await fetch(`${API_URL}${path}`, { headers: { 'x-session-id': sessionId } });
  await response.arrayBuffer();
  return response.status;
}

/**
 * The UI configuration Jaeger injected into the page it serves for any UI route: its query
 * service replaces `JAEGER_CONFIG = DEFAULT_CONFIG;` in index.html with the file's JSON (the
 * stand-in's placeholder page carries the same marker as the real UI's).
 */
async function servedUiConfig(): Promise<unknown> {
  const page = await (await fetch(`${JAEGER_URL}/search`)).text();
  const injected = /JAEGER_CONFIG = (\{.*\});/.exec(page);
  if (injected === null) throw new Error(`Jaeger's page holds no injected UI config:\n${page.slice(0, 2000)}`);
  return JSON.parse(injected[1]!) as unknown;
}

/** `api` as the compose file publishes it, in the shape driveSession takes. */
const api = { url: API_URL } as ServiceProcess;

describe('docker compose up: the unmodified docker-compose.yml, every container real', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:compose', ['stack-programs', 'chromium', 'docker-compose', 'docker-engine', 'debootstrap']);
  });

  // First run: debootstrap, Go builds, image builds with npm ci inside.
  this.timeout(40 * 60_000);

  const compose = new ComposeProject('session-context-compose-test');
  const startedAt = Date.now();
  const run = Date.now().toString(36);
  const sessions: DrivenSession[] = [];

  before(async () => {
    // victorialogs-probe runs the store's healthcheck (the store's image can run none).
    await compose.upFromScratch([3000, 16686, 9428, 8428], ['api', 'orders', 'jaeger', 'victorialogs-probe', 'victoriametrics']);
    // The collector's image has no healthcheck: ask its health_check extension directly, so no
    // span of the first test is sent before it can receive.
    const collectorHealth = `http://${compose.containerAddress('otel-collector')}:13133/`;
    await waitFor('the collector to report healthy', () => answersOk(collectorHealth), 60_000);
  });

  after(function () {
    if (skippedForPrerequisites(this)) return;
    compose.downAndStopEngine();
  });

  it('starts every container and publishes the service, the Jaeger query API, the log store and the metrics store on the host', async () => {
    const running = compose.run(['ps', '--services', '--filter', 'status=running'], { quiet: true }).trim().split('\n').sort();
    expect(running).to.deep.equal(['api', 'jaeger', 'orders', 'otel-collector', 'victorialogs', 'victorialogs-probe', 'victoriametrics']);
    // Healthy through its probe, and answering where the file publishes it.
    expect(compose.health('victorialogs-probe')).to.equal('healthy');
    expect(await answersOk(`${API_URL}/readyz`)).to.equal(true);
    expect(await answersOk(`${JAEGER_URL}/api/services`)).to.equal(true);
    expect(await answersOk(`${STORE_URL}/health`)).to.equal(true);
    expect(await answersOk(`${STORE_URL}/select/vmui/`)).to.equal(true);
    // Healthy through the healthcheck that runs inside its own image, and its UI on loopback.
    expect(compose.health('victoriametrics')).to.equal('healthy');
    const ui = await fetch(`${METRICS_URL}/vmui/`);
    expect(ui.status).to.equal(200);
    expect(await ui.text()).to.include('<title>vmui</title>');
  });

  it("serves Jaeger's UI with the repository jaeger-ui.json, links to the log store included", async () => {
    const file = JSON.parse(readFileSync(new URL('../../../jaeger-ui.json', import.meta.url), 'utf8')) as unknown;
    expect(await servedUiConfig()).to.deep.equal(file);
  });

  it('runs the service containers as a non-root user', () => {
    for (const service of ['api', 'orders']) {
      expect(compose.run(['exec', '-T', service, 'id', '-u'], { quiet: true }).trim(), service).not.to.equal('0');
    }
  });

  it('finds each session in Jaeger: every request, the downstream trace across both services, session.id on every span, user.id hashed', async () => {
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
      sessions.push(await driveSession(api, `compose-${run}-session-${i}`, `${user}@example.com`));
    }
    for (const session of sessions) {
      await expectEveryRequestFound(JAEGER_URL, session, startedAt);
      await expectDownstreamAcrossServices(JAEGER_URL, session, startedAt);
      await expectSessionTags(JAEGER_URL, session, startedAt);
    }
    await expectFoundByHashedUser(JAEGER_URL, sessions[0]!, startedAt);
  });

  it("finds each session's logs in VictoriaLogs by session.id: every request of api, the downstream one of orders, user.id hashed", async () => {
    for (const session of sessions) await expectSessionLogs(STORE_URL, session);
  });

  it("serves the demo's page, whose browser spans reach Jaeger through api's relay: the page load, and each fetch in one trace with api's span", async () => {
    const chromium = await launchHeadlessChromium();
    try {
      const { page } = chromium;
      await page.goto(`${API_URL}/`);
      const sessionId = await shownSessionOnceStarted(page);
      await page.click('#read-session');
      await page.waitForSelector('#output[data-answers="1"]');
      const answer = JSON.parse(await page.locator('#output li').first().innerText()) as { status: number; traceId: string; sessionId: string };
      expect(answer).to.deep.include({ status: 200, sessionId });
      const traces = await searchUntil(
        JAEGER_URL,
        'web',
        { 'session.id': sessionId },
        startedAt,
        `the page load and the fetch (trace ${answer.traceId}, with api's span) of session ${sessionId}`,
        (found) =>
          found.some((trace) => trace.spans.some((span) => span.operationName === 'documentLoad')) &&
          found.some((trace) => trace.traceID === answer.traceId && servicesOf(trace).has('api') && servicesOf(trace).has('web')),
      );
      const fetchTrace = traces.find((trace) => trace.traceID === answer.traceId)!;
      for (const span of fetchTrace.spans) expect(tagOf(span, 'session.id'), span.operationName).to.equal(sessionId);
      expect(chromium.offLoopbackRequests(), 'requests beyond loopback (aborted)').to.deep.equal([]);
      expect(chromium.pageErrors()).to.deep.equal([]);
    } finally {
      await chromium.close();
    }
  });

  it("shows each operation's rate, errors and latency in the Monitor tab's API, the rates in proportion to the requests sent, and VictoriaMetrics counts them exactly", async () => {
    const sessionId = `compose-${run}-red-metrics`;
    const failing = 'GET /api/fail';
    // By the span name of api's server span. GET /api/fail (500 on purpose) is requested by no
    // other test; the other two are, so what this test sent is told apart from what they sent
    // by the window it is counted in.
    const routes = [
      { spanName: 'GET /api/session', path: '/api/session', status: 200, count: 4 },
      { spanName: 'GET /api/downstream', path: '/api/downstream', status: 200, count: 2 },
      { spanName: failing, path: '/api/fail', status: 500, count: 3 },
    ];
    const sent = new Map(routes.map((route) => [route.spanName, route.count]));
    const shown = (flushes: readonly SpanMetricsFlush[]): string =>
      `the flushes stored: ${flushes.map((flush) => `${new Date(flush.timestampMs).toISOString()} ${JSON.stringify(Object.fromEntries(flush.calls))}`).join('; ') || 'none'}`;

    // One request of each, the failing one last. api exports its spans in the order they end, one
    // export at a time, and the collector counts an export before it answers it: the flush that
    // counts this GET /api/fail counts every request api served before it (the earlier tests'),
    // and every series the requests below add to.
    for (const route of routes) expect(await request(route.path, sessionId), route.path).to.equal(route.status);
    let flushes: SpanMetricsFlush[] = [];
    await waitFor(
      `VictoriaMetrics to store a flush counting the first ${failing}`,
      async () => {
        flushes = await apiFlushes();
        return flushes.some((flush) => flush.calls.get(failing) === 1);
      },
      NEW_SERIES_DEADLINE_MS,
      () => shown(flushes),
    );
    const baseline = flushes.find((flush) => flush.calls.get(failing) === 1)!;

    for (const route of routes) {
      for (let i = 0; i < route.count; i++) expect(await request(route.path, sessionId), route.path).to.equal(route.status);
    }
    let window: CountedWindow | undefined;
    await waitFor(
      `VictoriaMetrics to store a flush counting ${JSON.stringify(Object.fromEntries(sent))} more calls than the one at ${new Date(baseline.timestampMs).toISOString()}`,
      async () => {
        flushes = await apiFlushes();
        window = countedWindow(flushes, baseline, sent);
        return window !== undefined;
      },
      RED_METRICS_DEADLINE_MS,
      () => shown(flushes),
    );
    const { before, after } = window!;
    // Over (before, after]: each rate (and increase) is taken from the point of `before` to the
    // point of `after`, the same two points for every series, so the rates are in the exact
    // proportion of the requests sent in between.
    const ratePerMs = after.timestampMs - before.timestampMs - 500;
    const query: OperationMetricsQuery = { service: 'api', atMs: after.timestampMs, ratePerMs };

    const calls = await operationMetrics(JAEGER_URL, 'calls', query);
    const perRequest = (calls.get(failing) ?? Number.NaN) / sent.get(failing)!;
    expect(perRequest, `the call rate of ${failing}, per request; all: ${JSON.stringify(Object.fromEntries(calls))}`).to.be.greaterThan(0);
    for (const { spanName, count } of routes) {
      expect((calls.get(spanName) ?? Number.NaN) / count, `${spanName}: call rate per request`).to.be.closeTo(perRequest, perRequest * 1e-9);
    }
    const errors = await operationMetrics(JAEGER_URL, 'errors', query);
    expect(errors.get(failing), `the error rate (errors / calls) of ${failing}`).to.equal(1);
    for (const spanName of ['GET /api/session', 'GET /api/downstream']) expect(errors.get(spanName) ?? 0, `${spanName}: error rate`).to.equal(0);
    const latencies = await operationMetrics(JAEGER_URL, 'latencies', { ...query, quantile: 0.95 });
    for (const { spanName } of routes) {
      expect(latencies.get(spanName), `${spanName}: 95th percentile latency (ms); all: ${JSON.stringify(Object.fromEntries(latencies))}`).to.be.greaterThan(0).and.to.be.finite;
    }

    // The same window in PromQL on VictoriaMetrics itself: the calls added are the requests sent.
    const increases = await queryMetrics(
      METRICS_URL,
      `sum by (span_name) (increase(traces_span_metrics_calls_total{service_name="api",span_kind="SPAN_KIND_SERVER"}[${ratePerMs}ms]))`,
      after.timestampMs,
    );
    const counted = new Map(increases.map((series) => [series.labels['span_name'] ?? '', series.value]));
    for (const { spanName, count } of routes) expect(counted.get(spanName), `${spanName}: calls counted in the window`).to.equal(count);
  });

  it("keeps Jaeger's traces through a restart (while VictoriaMetrics is down), a recreated container and a removed one, and `npm run trace` finds them", async () => {
    const session = await driveSession(api, `compose-${run}-jaeger-restart`);
    // Every span of the session stored first (expectSessionTags waits for all of them).
    await expectSessionTags(JAEGER_URL, session, startedAt);
    const spanKeys = (traces: readonly JaegerTrace[]): string[] => traces.flatMap((trace) => trace.spans.map((span) => `${trace.traceID}/${span.spanID}`)).sort();
    const stored = spanKeys(await searchTraces(JAEGER_URL, 'api', { 'session.id': session.sessionId }, startedAt));
    expect(stored).to.have.length(session.traceIds.length + 2);

    const expectKept = async (after: string): Promise<void> => {
      await waitFor(`Jaeger's query API to answer after ${after}`, () => answersOk(`${JAEGER_URL}/api/services`), 60_000);
      const traces = await searchUntil(JAEGER_URL, 'api', { 'session.id': session.sessionId }, startedAt, `the session's ${stored.length} spans after ${after}`, (found) =>
        spanKeys(found).length >= stored.length,
      );
      expect(spanKeys(traces), `the session's spans after ${after}`).to.deep.equal(stored);
    };

    // Jaeger needs VictoriaMetrics only to answer the Monitor tab: it starts, and serves the
    // traces, without it.
    compose.run(['stop', 'victoriametrics'], { quiet: true });
    compose.run(['restart', 'jaeger'], { quiet: true });
    await expectKept('a restart while VictoriaMetrics is stopped');
    compose.run(['start', 'victoriametrics'], { quiet: true });
    await waitFor('VictoriaMetrics to answer after it was started again', () => answersOk(`${METRICS_URL}/health`), 60_000);

    const restarted = compose.containerId('jaeger');
    compose.run(['up', '-d', '--force-recreate', '--no-deps', 'jaeger'], { quiet: true });
    expect(compose.containerId('jaeger'), 'the container after --force-recreate').not.to.equal(restarted);
    await expectKept('a recreated container');
    // Stopped right after the queries above, Jaeger exits on SIGTERM, Badger closed, rather than
    // being killed when Docker's 10 s run out (its query service, tracing itself, once kept
    // retrying an export to its own closed receiver at shutdown).
    compose.run(['stop', 'jaeger'], { quiet: true });
    expect(compose.exitCode('jaeger'), 'exit code of the stopped jaeger container').to.equal(0);
    // Removed and created again, as `docker compose down` then `up` do: what survives is only in
    // the named volume.
    compose.run(['rm', '--force', 'jaeger'], { quiet: true });
    compose.run(['up', '-d', '--no-deps', 'jaeger'], { quiet: true });
    await expectKept('its container was removed and created again');

    const lookup = await runTraceCommand([session.sessionId], { JAEGER_URL });
    expect(lookup.code, lookup.stderr).to.equal(0);
    for (const traceId of session.traceIds) expect(lookup.stdout).to.include(`/trace/${traceId}`);
  });

  it('keeps the log streams when api is restarted and recreated: the same streams before and after, each by service.name only', async () => {
    // The records of the running api and orders stored first.
    await expectSessionLogs(STORE_URL, await driveSession(api, `compose-${run}-streams-before`));
    const before = await queryStreams(STORE_URL, '*');
    expect(before).to.include.members(['{service.name="api"}', '{service.name="orders"}']);
    for (const step of [['restart', 'api'], ['up', '-d', '--force-recreate', '--no-deps', 'api']]) {
      compose.run(step, { quiet: true });
      await waitFor(`api to answer after \`${step.join(' ')}\``, () => answersOk(`${API_URL}/readyz`), 60_000);
      // Records of the new api process stored. A recreated container has a new host.name, which
      // would start a stream of its own if every resource attribute were a stream field (a
      // restarted one keeps host.name and process.pid 1: only the field check below sees that).
      await expectSessionLogs(STORE_URL, await driveSession(api, `compose-${run}-streams-after-${step[0]!}`));
      const after = await queryStreams(STORE_URL, '*');
      expect(after, `the streams after \`${step.join(' ')}\``).to.deep.equal(before);
      for (const stream of after) expect(streamFields(stream), stream).to.deep.equal(['service.name']);
    }
  });

  it('keeps the stored logs when the log store container is recreated, and stores the logs sent after', async () => {
    const session = sessions[0]!;
    const before = await queryLogs(STORE_URL, exactly('session.id', session.sessionId));
    expect(before).not.to.deep.equal([]);
    // A new container on the same named volume.
    compose.run(['up', '-d', '--force-recreate', '--no-deps', 'victorialogs'], { quiet: true });
    await waitFor('VictoriaLogs to report healthy after it was recreated', () => answersOk(`${STORE_URL}/health`), 60_000);
    const after = await queryLogs(STORE_URL, exactly('session.id', session.sessionId));
    const key = (record: StoredLogRecord): string => `${record['_time']} ${record['_msg']} ${record['trace_id']}`;
    // Every record stored before is still there (a record still in flight then may have been
    // added since: the comparison is one of inclusion).
    expect(after.map(key)).to.include.members(before.map(key));
    await expectSessionLogs(STORE_URL, await driveSession(api, `compose-${run}-after-store-recreated`, 'erin@example.com'));
  });

  it('loses no span sent after a restarted collector is healthy again', async () => {
    compose.run(['restart', 'otel-collector'], { quiet: true });
    const health = `http://${compose.containerAddress('otel-collector')}:13133/`;
    await waitFor('the collector to report healthy after its restart', () => answersOk(health), 60_000);
    const session = await driveSession(api, `compose-${run}-after-restart`, 'dave@example.com');
    await expectEveryRequestFound(JAEGER_URL, session, startedAt);
    await expectDownstreamAcrossServices(JAEGER_URL, session, startedAt);
  });

  it("lets the last request's spans reach Jaeger when the api container is stopped", async () => {
    // The batch processor waits 5 s by default: only the graceful shutdown's flush gets these out.
    const session = await driveSession(api, `compose-${run}-before-stop`);
    compose.run(['stop', 'api'], { quiet: true });
    expect(compose.exitCode('api'), 'exit code of the stopped api container').to.equal(0);
    await expectEveryRequestFound(JAEGER_URL, session, startedAt);
  });
});
