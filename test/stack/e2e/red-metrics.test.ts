import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { startE2eStack, type E2eStack } from '../support/e2e-stack.ts';
import { operationMetrics, type JaegerMetricKind, type OperationMetricsQuery } from '../support/jaeger-metrics.ts';
import { tagOf } from '../support/jaeger-query.ts';
import { RED_METRICS_QUERIES, RED_METRICS_QUERY_WINDOW } from '../support/red-metrics-queries.ts';
import { searchUntil } from '../support/session-checks.ts';
import { countedWindow, flushesOf, type SpanMetricsFlush } from '../support/span-metric-flushes.ts';
import { exportSeries, queryMetrics, seriesOf, VICTORIAMETRICS_LATENCY_OFFSET_MS, type RawSeries } from '../support/victoria-metrics.ts';
import { waitFor, type ServiceProcess } from '../../core/support/service-process.ts';
import { requirePrerequisites, skippedForPrerequisites } from '../support/require-prerequisites.ts';

/** The server operations of `api` the test drives: the span names (method and route; a 404 has the method only). */
const LOGIN = 'POST /api/login';
const SESSION = 'GET /api/session';
const DOWNSTREAM = 'GET /api/downstream';
const FAIL = 'GET /api/fail';
const UNMATCHED = 'GET';
/** The one server operation of `orders`, called once per downstream request of `api`. */
const ORDERS = 'GET /api/orders';

/** The requests sent after the warm-up, per operation of `api`: distinct counts, so a mix-up shows. */
const COUNTS: Readonly<Record<string, number>> = { [LOGIN]: 1, [SESSION]: 7, [DOWNSTREAM]: 3, [FAIL]: 2, [UNMATCHED]: 1 };

/** Counts keyed `<service> <operation>`, as the test compares them. */
type Counts = Readonly<Record<string, number>>;

/** `counts` of `api`, plus `orders`' one call per downstream request, keyed `<service> <operation>`. */
function perService(counts: Counts): Counts {
  const keyed: Record<string, number> = { [`orders ${ORDERS}`]: counts[DOWNSTREAM] ?? 0 };
  for (const [operation, count] of Object.entries(counts)) keyed[`api ${operation}`] = count;
  return keyed;
}

/** One request of each operation: every series exists, with a sample, before the counted requests start. */
const WARM_UP: Counts = perService(Object.fromEntries(Object.keys(COUNTS).map((operation) => [operation, 1])));
/** What the counters hold at the end: the warm-up and the counted requests. */
const FINAL: Counts = Object.fromEntries(Object.entries(WARM_UP).map(([key, warm]) => [key, warm + (perService(COUNTS)[key] ?? 0)]));

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** What the requests of one phase identified themselves with (none may become a label). */
interface Sent {
  readonly sessionIds: string[];
  readonly userIds: string[];
  readonly unmatchedPaths: string[];
  readonly downstreamTraceIds: string[];
}

/**
 * Sends `counts` requests per operation to `api`: a login (whose session and token the reads
 * then use, so their spans carry session.id and user.id), reads, downstream calls, failures
 * and requests to a path no route matches.
 */
async function sendRequests(api: ServiceProcess, phase: string, counts: Counts, sent: Sent): Promise<void> {
  const userId = `${phase}-${randomUUID()}@example.com`;
  let headers: Record<string, string> = { 'x-session-id': `red-${phase}-${randomUUID()}` };
  sent.sessionIds.push(headers['x-session-id']!);
  sent.userIds.push(userId);
  /** The body of `response`, once its status is `status`. */
  const expectStatus = async (response: Response, status: number): Promise<string> => {
    const body = await response.text();
    expect(response.status, `${response.url}: ${body}`).to.equal(status);
    return body;
  };
  for (let i = 0; i < (counts[LOGIN] ?? 0); i++) {
    const login = await fetch(`${api.url}/api/login`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ userId }),
    });
    const { token } = JSON.parse(await expectStatus(login, 200)) as { token: string };
    const started = login.headers.get('x-session-id') ?? '';
    headers = { 'x-session-id': started, authorization: `Bearer ${token}` };
    sent.sessionIds.push(started);
  }
  for (let i = 0; i < (counts[SESSION] ?? 0); i++) await expectStatus(await fetch(`${api.url}/api/session`, { headers }), 200);
  for (let i = 0; i < (counts[DOWNSTREAM] ?? 0); i++) {
    const response = await fetch(`${api.url}/api/downstream`, { headers });
    sent.downstreamTraceIds.push(response.headers.get('x-trace-id') ?? '');
    await expectStatus(response, 200);
  }
  for (let i = 0; i < (counts[FAIL] ?? 0); i++) await expectStatus(await fetch(`${api.url}/api/fail`, { headers }), 500);
  for (let i = 0; i < (counts[UNMATCHED] ?? 0); i++) {
    const path = `/no-such-route-${randomUUID()}`;
    sent.unmatchedPaths.push(path);
    await expectStatus(await fetch(`${api.url}${path}`, { headers }), 404);
  }
}

/** `<service> <operation>` of a series. */
const keyOf = (labels: Readonly<Record<string, string>>): string => `${labels['service_name'] ?? '?'} ${labels['span_name'] ?? '?'}`;

/** The calls counted so far per `<service> <operation>`, from VictoriaMetrics (PromQL). */
async function countedCalls(baseUrl: string): Promise<Counts> {
  const samples = await queryMetrics(baseUrl, 'sum by (service_name, span_name) (traces_span_metrics_calls_total)');
  return Object.fromEntries(samples.map((sample) => [keyOf(sample.labels), sample.value]));
}

/** True when `actual` holds exactly the keys and values of `expected`. */
const sameCounts = (actual: Counts, expected: Counts): boolean =>
  JSON.stringify(Object.entries(actual).sort()) === JSON.stringify(Object.entries(expected).sort());

/** The counts of `flush` equal `expected`, key for key. */
const flushHolds = (flush: SpanMetricsFlush, expected: Counts): boolean => sameCounts(Object.fromEntries(flush.calls), expected);

/**
 * The interval the counted requests fall in, from the calls counters' raw samples: it starts
 * at the last flush that still held the warm-up counts and ends at the first flush that held
 * the final counts (countedWindow). The connector stamps all series of one flush with one time,
 * so both are samples of every series (once VictoriaMetrics shows them: undefined until then);
 * a rate over exactly this interval is the counted requests divided by its length.
 * @throws {Error} when a flush counts calls the test did not make.
 */
function countedInterval(raw: readonly RawSeries[]): { startMs: number; endMs: number } | undefined {
  const flushes = flushesOf(raw, keyOf);
  const baseline = flushes.find((flush) => flushHolds(flush, WARM_UP));
  if (baseline === undefined) return undefined;
  const window = countedWindow(flushes, baseline, new Map(Object.entries(perService(COUNTS))));
  if (window === undefined || !flushHolds(window.after, FINAL)) return undefined;
  return { startMs: window.before.timestampMs, endMs: window.after.timestampMs };
}

/** Replaces the `[5m]` windows of a documented query with `windowMs`. */
const overWindow = (query: string, windowMs: number): string => query.replaceAll(RED_METRICS_QUERY_WINDOW, `[${windowMs}ms]`);

/** `actual` equals `expected` but for floating-point rounding. */
function expectClose(actual: number | undefined, expected: number, what: string): void {
  expect(actual, what).to.be.a('number');
  expect(actual, what).to.be.closeTo(expected, Math.abs(expected) * 1e-9);
}

describe('RED metrics: the collector derives them from server spans, VictoriaMetrics keeps them, Jaeger shows them (real programs)', function () {
  // First: skipped (outside CI) or failed (CI) with the reason when the machine lacks these.
  before(function () {
    requirePrerequisites(this, 'test:e2e red-metrics', ['stack-programs']);
  });

  // The first run builds the Go programs.
  this.timeout(30 * 60_000);

  let stack: E2eStack;
  const sent: Sent = { sessionIds: [], userIds: [], unmatchedPaths: [], downstreamTraceIds: [] };
  const startedAt = Date.now();
  /** The interval of the counted requests (see countedInterval), and its length. */
  let interval: { startMs: number; endMs: number };
  let windowMs: number;

  before(async () => {
    // A stack of its own: its counters hold exactly the requests sent here.
    stack = await startE2eStack();
    const metrics = stack.victoriaMetrics.baseUrl;
    let counted: Counts = {};
    const progress = (): string => `counted so far: ${JSON.stringify(counted)}`;

    // The warm-up makes every series exist (the connector sends a new series as 0 first, then
    // its count a flush later), so the counted requests are increments of existing counters.
    await sendRequests(stack.api, 'warm-up', Object.fromEntries(Object.keys(COUNTS).map((operation) => [operation, 1])), sent);
    await waitFor(
      'the warm-up requests counted in VictoriaMetrics, one per operation',
      async () => {
        counted = await countedCalls(metrics);
        // Counters only grow: a count beyond the requests sent (a client span counted) is final.
        const beyond = Object.entries(counted).filter(([key, count]) => count > (WARM_UP[key] ?? 0));
        if (beyond.length > 0) throw new Error(`VictoriaMetrics counted more calls than were sent: ${JSON.stringify(beyond)} (expected ${JSON.stringify(WARM_UP)})`);
        return sameCounts(counted, WARM_UP);
      },
      60_000,
      progress,
    );

    await sendRequests(stack.api, 'counted', COUNTS, sent);
    let raw: RawSeries[] = [];
    let found: { startMs: number; endMs: number } | undefined;
    await waitFor(
      "every series' final count in VictoriaMetrics' raw samples, and the samples of every series that bound the counted requests",
      async () => {
        raw = await exportSeries(metrics, 'traces_span_metrics_calls_total');
        found = countedInterval(raw);
        return found !== undefined;
      },
      60_000,
      () => `raw samples so far: ${JSON.stringify(raw.map((series) => [keyOf(series.labels), series.values]))}`,
    );
    interval = found!;
    windowMs = interval.endMs - interval.startMs;
    // VictoriaMetrics evaluates no query at a time within its latency offset of now.
    await waitFor(
      `the end of the counted interval to be ${VICTORIAMETRICS_LATENCY_OFFSET_MS} ms old (-search.latencyOffset)`,
      () => Date.now() > interval.endMs + VICTORIAMETRICS_LATENCY_OFFSET_MS,
      10_000,
    );
    console.log(`      the counted requests fall within ${windowMs} ms: the interval between the two flushes of the connector that bound them`);
  });

  after(async function () {
    if (skippedForPrerequisites(this)) return;
    await stack.stop();
  });

  /** Jaeger's metrics of `service` per operation at the end of the counted interval, over exactly that interval. */
  const jaegerMetrics = (kind: JaegerMetricKind, service: string, extra: Partial<OperationMetricsQuery> = {}): Promise<Map<string, number>> =>
    operationMetrics(stack.jaeger.queryUrl, kind, { service, atMs: interval.endMs, ratePerMs: windowMs, ...extra });

  it('counts every request of api and orders exactly once per operation, server spans only (PromQL on VictoriaMetrics)', async () => {
    const apiCounts = await queryMetrics(stack.victoriaMetrics.baseUrl, RED_METRICS_QUERIES.requests, interval.endMs);
    expect(Object.fromEntries(apiCounts.map((sample) => [`api ${sample.labels['span_name'] ?? '?'}`, sample.value]))).to.deep.equal(
      Object.fromEntries(Object.entries(FINAL).filter(([key]) => key.startsWith('api '))),
    );
    expect(await countedCalls(stack.victoriaMetrics.baseUrl)).to.deep.equal(FINAL);
  });

  it("answers Jaeger's Monitor tab with each server operation of api and its request rate, in the exact proportion of the requests sent", async () => {
    const rates = await jaegerMetrics('calls', 'api');
    expect([...rates.keys()].sort()).to.deep.equal(Object.keys(COUNTS).sort());
    for (const [operation, count] of Object.entries(COUNTS)) {
      expectClose(rates.get(operation), count / (windowMs / 1000), `${operation}: ${count} requests in ${windowMs} ms`);
      expectClose((rates.get(operation) ?? 0) / (rates.get(SESSION) ?? 0), count / (COUNTS[SESSION] ?? 1), `${operation}'s rate against ${SESSION}'s`);
    }
    console.log(`      Jaeger's request rates (per second): ${JSON.stringify(Object.fromEntries(rates))}`);
  });

  it('gives GET /api/fail an error ratio of 1 and lists no operation without errors (Jaeger answers only the failing ones when some fail)', async () => {
    expect(Object.fromEntries(await jaegerMetrics('errors', 'api'))).to.deep.equal({ [FAIL]: 1 });
  });

  it('gives every operation of api a 0.99 and a 0.5 latency quantile in milliseconds', async () => {
    const p99 = await jaegerMetrics('latencies', 'api', { quantile: 0.99 });
    const p50 = await jaegerMetrics('latencies', 'api', { quantile: 0.5 });
    for (const quantile of [p99, p50]) expect([...quantile.keys()].sort()).to.deep.equal(Object.keys(COUNTS).sort());
    for (const operation of Object.keys(COUNTS)) {
      expect(p50.get(operation), operation).to.be.a('number').that.is.above(0);
      expect(p99.get(operation), operation).to.be.at.least(p50.get(operation) ?? Infinity);
    }
  });

  it('gives orders series of its own: its server operation, at the rate of the downstream calls', async () => {
    const rates = await jaegerMetrics('calls', 'orders');
    expect([...rates.keys()]).to.deep.equal([ORDERS]);
    expectClose(rates.get(ORDERS), (COUNTS[DOWNSTREAM] ?? 0) / (windowMs / 1000), `${ORDERS}: one per downstream call`);
    const series = await seriesOf(stack.victoriaMetrics.baseUrl, 'traces_span_metrics_calls_total{service_name="orders"}');
    expect(series.map((labels) => labels['span_name'])).to.deep.equal([ORDERS]);
  });

  it("derives nothing from client spans: the downstream call's client span exists in Jaeger, yet no series and no Monitor tab row comes from it", async () => {
    const downstreamTraceId = sent.downstreamTraceIds.at(-1) ?? '';
    // Its three spans: api's server and client spans, and orders' server span.
    const [trace] = await searchUntil(stack.jaeger.queryUrl, 'api', {}, startedAt, `the downstream trace ${downstreamTraceId} with its 3 spans`, (found) =>
      found.some((candidate) => candidate.traceID === downstreamTraceId && candidate.spans.length >= 3),
    ).then((found) => found.filter((candidate) => candidate.traceID === downstreamTraceId));
    expect(trace?.spans.map((span) => tagOf(span, 'span.kind')).sort()).to.deep.equal(['client', 'server', 'server']);

    const series = await seriesOf(stack.victoriaMetrics.baseUrl, '{__name__=~"traces_span_metrics_.*"}');
    expect(series).not.to.deep.equal([]);
    expect([...new Set(series.map((labels) => labels['span_kind']))]).to.deep.equal(['SPAN_KIND_SERVER']);
    expect(Object.fromEntries(await jaegerMetrics('calls', 'api', { spanKind: 'client' }))).to.deep.equal({});
  });

  it('labels every series by service, operation, route, method, status and span kind only: no session, user, raw path or process', async () => {
    const series = await seriesOf(stack.victoriaMetrics.baseUrl, '{__name__=~"traces_span_metrics_.*"}');
    const names = [...new Set(series.flatMap((labels) => Object.keys(labels)))].sort();
    expect(names).to.deep.equal([
      '__name__',
      'collector_instance_id',
      'http_request_method',
      'http_response_status_code',
      'http_route',
      'le',
      'scope_name',
      'scope_version',
      'service_name',
      'span_kind',
      'span_name',
      'status_code',
    ]);
    const values = JSON.stringify(series.map((labels) => Object.values(labels)));
    for (const secret of [...sent.sessionIds, ...sent.userIds, ...sent.userIds.map(sha256), ...sent.unmatchedPaths]) expect(values).not.to.include(secret);
    // The unmatched requests: one series by method and status, without a route.
    const unmatched = series.filter((labels) => labels['__name__'] === 'traces_span_metrics_calls_total' && labels['span_name'] === UNMATCHED);
    expect(unmatched.map((labels) => [labels['http_route'], labels['http_response_status_code']])).to.deep.equal([[undefined, '404']]);
  });

  it("answers docs/metrics.md's queries per route: the request rate in proportion to the requests, the error ratio 1 for the failing route and 0 elsewhere, a p99", async () => {
    const run = async (query: string): Promise<Record<string, number>> =>
      Object.fromEntries(
        (await queryMetrics(stack.victoriaMetrics.baseUrl, overWindow(query, windowMs), interval.endMs)).map((sample) => [sample.labels['span_name'] ?? '?', sample.value]),
      );
    const rates = await run(RED_METRICS_QUERIES.requestRate);
    expect(Object.keys(rates).sort()).to.deep.equal(Object.keys(COUNTS).sort());
    for (const [operation, count] of Object.entries(COUNTS)) expectClose(rates[operation], count / (windowMs / 1000), operation);
    expect(await run(RED_METRICS_QUERIES.errorRatio)).to.deep.equal({ [LOGIN]: 0, [SESSION]: 0, [DOWNSTREAM]: 0, [FAIL]: 1, [UNMATCHED]: 0 });
    const p99 = await run(RED_METRICS_QUERIES.p99);
    expect(Object.keys(p99).sort()).to.deep.equal(Object.keys(COUNTS).sort());
    for (const value of Object.values(p99)) expect(value).to.be.above(0);
  });
});
