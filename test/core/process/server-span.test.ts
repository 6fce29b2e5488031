import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { DEFAULT_SERVICE_NAME } from '../../../src/core/telemetry/service-identity.ts';
import { OBSERVED_LISTENERS } from '../support/fixtures/server-span-routes.ts';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink, type SinkSpan } from '../support/otlp-sink.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

const STATUS_ERROR = 2;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Sends `path` with a session of its own; answers the trace id the service reported. */
async function send(service: ServiceProcess, path: string, sessionId: string, init: RequestInit = {}): Promise<{ status: number; traceId: string }> {
  const response = await fetch(`${service.url}${path}`, { ...init, headers: { 'x-session-id': sessionId, ...(init.headers as Record<string, string> | undefined) } });
  await response.arrayBuffer();
  const traceId = response.headers.get('x-trace-id');
  expect(traceId, `x-trace-id of ${path}`).to.match(/^[0-9a-f]{32}$/);
  return { status: response.status, traceId: traceId! };
}

/** The one server span of `traceId` at the sink, once it arrived. */
async function serverSpanOf(sink: OtlpSink, traceId: string): Promise<SinkSpan> {
  const spans = (await waitForServerSpans(sink, [traceId])).get(traceId)!.filter((span) => span.kind === SERVER_SPAN_KIND);
  expect(spans, `server spans of ${traceId}`).to.have.length(1);
  return spans[0]!;
}

/**
 * The server span the core makes for each request (traceRequests, issue "One server span per
 * request, made by the core"), seen where production sends it: a service started with the
 * core's preload, exporting OTLP to a sink.
 */
/** Starts an OTLP sink and the fixture service exporting to it (with `env`) before a describe's tests; stops both after. */
function serviceExportingToSink(env: Record<string, string>): { readonly sink: OtlpSink; readonly service: ServiceProcess } {
  const running = {} as { sink: OtlpSink; service: ServiceProcess };
  before(async () => {
    running.sink = await startOtlpSink();
    running.service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: running.sink.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100', ...env });
  });
  after(async () => {
    await running.service.stop();
    await running.sink.close();
  });
  return running;
}

describe('the server span of a request (service process, OTLP sink)', function () {
  this.timeout(120_000);
  const running = serviceExportingToSink({ OTEL_SERVICE_NAME: 'spans' });

  it('names a matched request METHOD route and sets the stable HTTP attributes', async () => {
    const { traceId } = await send(running.service, '/api/spans/items/42?secret=hunter2', 'span-shape-matched', { headers: { 'user-agent': 'span-test/1.0' } });
    const span = await serverSpanOf(running.sink, traceId);
    const port = Number(new URL(running.service.url).port);
    expect(span.name).to.equal('GET /api/spans/items/:id');
    // The core's scope is the service's package name: session-context-service here, a generated service's own.
    expect(span.scope).to.equal(DEFAULT_SERVICE_NAME);
    expect(span.parentSpanId).to.equal('');
    expect(span.statusCode).to.equal(0);
    expect(span.attributes).to.deep.equal({
      'http.request.method': 'GET',
      'url.path': '/api/spans/items/42',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': port,
      'network.protocol.version': '1.1',
      'user_agent.original': 'span-test/1.0',
      'client.address': '127.0.0.1',
      'http.response.status_code': 200,
      'http.route': '/api/spans/items/:id',
      'session.id': 'span-shape-matched',
    });
  });

  it('names a request by the templates of every router level it passed', async () => {
    const nested = await send(running.service, '/api/spans/outer/inner/7', 'span-shape-nested');
    expect((await serverSpanOf(running.sink, nested.traceId)).attributes['http.route']).to.equal('/api/spans/outer/inner/:id');
    const mounted = await send(running.service, '/api/spans/t/acme/items', 'span-shape-mounted');
    const span = await serverSpanOf(running.sink, mounted.traceId);
    expect([span.name, span.attributes['http.route']]).to.deep.equal(['GET /api/spans/t/:tenant/items', '/api/spans/t/:tenant/items']);
  });

  it('makes one span name of 40 requests to 40 tenants under a mount with a parameter', async () => {
    const traceIds: string[] = [];
    for (let i = 0; i < 40; i++) traceIds.push((await send(running.service, `/api/spans/t/tenant-${i}-${'x'.repeat(i * 50)}/items`, `span-shape-tenant-${i}`)).traceId);
    const byTrace = await waitForServerSpans(running.sink, traceIds);
    const names = new Set([...byTrace.values()].flat().filter((span) => span.kind === SERVER_SPAN_KIND).map((span) => span.name));
    expect([...names]).to.deep.equal(['GET /api/spans/t/:tenant/items']);
    const accessRoutes = new Set(running.service.logLines().filter((line) => traceIds.includes(String(line['trace_id'])) && line['message'] === 'request completed').map((line) => line['http.route']));
    expect([...accessRoutes]).to.deep.equal(['/api/spans/t/:tenant/items']);
  });

  it('names an unmatched request by its method alone, without a route, with its 404', async () => {
    const { status, traceId } = await send(running.service, '/api/no/such/path', 'span-shape-unmatched');
    expect(status).to.equal(404);
    const span = await serverSpanOf(running.sink, traceId);
    expect(span.name).to.equal('GET');
    expect(span.attributes).to.not.have.property('http.route');
    expect(span.attributes).to.include({ 'http.response.status_code': 404, 'url.path': '/api/no/such/path' });
    expect(span.attributes).to.not.have.property('error.type');
    expect(span.statusCode).to.equal(0);
  });

  it('marks a 5xx answer as an error with error.type the status code', async () => {
    const { status, traceId } = await send(running.service, '/api/spans/fail', 'span-shape-fail');
    expect(status).to.equal(503);
    const span = await serverSpanOf(running.sink, traceId);
    expect(span.name).to.equal('GET /api/spans/fail');
    expect(span.statusCode).to.equal(STATUS_ERROR);
    expect(span.attributes).to.include({ 'http.response.status_code': 503, 'error.type': '503' });
  });

  it('ends a request whose client left before the answer with error.type aborted', async () => {
    const client = new AbortController();
    const pending = fetch(`${running.service.url}/api/spans/hang`, { headers: { 'x-session-id': 'span-shape-aborted' }, signal: client.signal }).catch(() => undefined);
    let traceId = '';
    await waitFor('the /api/spans/hang handler to hold the answer', () => {
      const line = running.service.logLines().find((entry) => entry['message'] === 'holding the answer' && entry['session.id'] === 'span-shape-aborted');
      traceId = typeof line?.['trace_id'] === 'string' ? line['trace_id'] : '';
      return line !== undefined;
    });
    client.abort();
    await pending;
    const span = await serverSpanOf(running.sink, traceId);
    expect(span.name).to.equal('GET /api/spans/hang');
    expect(span.statusCode).to.equal(STATUS_ERROR);
    expect(span.attributes).to.include({ 'error.type': 'aborted', 'session.id': 'span-shape-aborted' });
    expect(span.attributes).to.not.have.property('http.response.status_code');
  });

  it('traces no health probe', async () => {
    for (const path of ['/healthz', '/readyz']) {
      const response = await fetch(`${running.service.url}${path}`);
      expect(response.status, path).to.equal(200);
      expect(response.headers.get('x-trace-id'), path).to.equal(null);
    }
    // A traced request after the probes: once its span is here, a probe's would be too.
    const { traceId } = await send(running.service, '/api/spans/items/1', 'span-shape-after-probes');
    await serverSpanOf(running.sink, traceId);
    expect(running.sink.spans.filter((span) => ['/healthz', '/readyz'].includes(String(span.attributes['url.path'])))).to.deep.equal([]);
  });

  it('runs the listeners of req and res, and timers they start, in the request\'s span and session', async () => {
    const { status, traceId } = await send(running.service, '/api/spans/listeners', 'span-shape-listeners', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'some body' });
    expect(status).to.equal(200);
    const span = await serverSpanOf(running.sink, traceId);
    const seen = (): Record<string, unknown>[] => running.service.logLines().filter((line) => line['message'] === 'listener saw' && line['trace_id'] === traceId);
    await waitFor('a line from every listener', () => seen().length === OBSERVED_LISTENERS.length);
    expect(seen().map((line) => line['listener'])).to.have.members([...OBSERVED_LISTENERS]);
    for (const line of seen()) {
      expect(line, String(line['listener'])).to.include({ 'session.id': 'span-shape-listeners', trace_id: traceId, span_id: span.spanId });
    }
  });
});

describe('the server span at a trusted service (service process, OTLP sink)', function () {
  this.timeout(120_000);
  const running = serviceExportingToSink({ TRUST_INCOMING_BAGGAGE: 'true', TEST_MOUNT_PATH: '/org/:org/api' });

  it('follows the caller\'s remote parent: same trace, the caller\'s span as parent', async () => {
    const traceId = hex(16);
    const parentSpanId = hex(8);
    const answered = await send(running.service, '/org/acme/api/spans/items/3', 'span-shape-remote', { headers: { traceparent: `00-${traceId}-${parentSpanId}-01` } });
    expect(answered.traceId).to.equal(traceId);
    const span = await serverSpanOf(running.sink, traceId);
    expect(span.parentSpanId).to.equal(parentSpanId);
  });

  it('names a request by the template of a mount path with a parameter given to startService', async () => {
    const { traceId } = await send(running.service, '/org/acme/api/spans/t/beta/items', 'span-shape-org');
    const span = await serverSpanOf(running.sink, traceId);
    expect([span.name, span.attributes['http.route']]).to.deep.equal(['GET /org/:org/api/spans/t/:tenant/items', '/org/:org/api/spans/t/:tenant/items']);
  });
});

describe('the server span when OTEL_NODE_ENABLED_INSTRUMENTATIONS hands it to the stock HTTP instrumentation (service process, OTLP sink)', function () {
  this.timeout(120_000);
  const running = serviceExportingToSink({ OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,undici' });

  it('records one server span, the stock instrumentation\'s, named by the same route template with the session on it', async () => {
    const { traceId } = await send(running.service, '/api/spans/t/acme/items', 'span-shape-stock');
    const span = await serverSpanOf(running.sink, traceId);
    expect(span.scope).to.equal('@opentelemetry/instrumentation-http');
    expect([span.name, span.attributes['http.route'], span.attributes['session.id']]).to.deep.equal(['GET /api/spans/t/:tenant/items', '/api/spans/t/:tenant/items', 'span-shape-stock']);
  });
});
