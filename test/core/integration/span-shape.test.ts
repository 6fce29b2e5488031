import { SpanKind } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { expect } from 'chai';
import { Router } from 'express';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../../../src/core/context/semconv.ts';
import { TEST_USER_HEADER } from '../support/fixtures/test-routes.ts';
import { spanExporter } from '../support/integration-preload.ts';
import { rawRequest } from '../support/raw-http.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * What a request records (issue: lean telemetry): one server span named after its route, one
 * client span per outgoing call, and nothing for the routers and middleware it passes
 * through. Fails if a request grows back to more spans, for example when the express
 * instrumentation's layer spans return.
 */
describe('the spans of one request (real SDK, in-memory exporter)', () => {
  let app: TestApp;
  let downstream: RecordingDownstream;

  /** A router the requests below only pass through, with a middleware and a route of its own. */
  const passedThrough = Router();
  passedThrough.use((_req, _res, next) => {
    next();
  });
  passedThrough.get('/elsewhere/:id', (_req, res) => {
    res.json({ never: 'reached' });
  });
  /** A second router mounted after it, with a nested router: the route answered here. */
  const answering = Router();
  const nested = Router();
  nested.get('/:id', (_req, res) => {
    res.json({ ok: true });
  });
  answering.use('/items', nested);

  beforeEach(async () => {
    spanExporter.reset();
    downstream = await startRecordingDownstream();
    app = await startTestApp({ env: { TEST_DOWNSTREAM_URL: downstream.url }, routers: [passedThrough, answering] });
  });

  afterEach(async () => {
    await app.close();
    await downstream.close();
  });

  /** The spans this app recorded for the request of `response` (not the downstream's own). */
  async function spansOf(response: Response): Promise<ReadableSpan[]> {
    const traceId = response.headers.get('x-trace-id');
    expect(traceId, 'x-trace-id').to.match(/^[0-9a-f]{32}$/);
    const spans = await spansOfTrace(spanExporter, traceId!);
    const server = spans.find((span) => span.kind === SpanKind.SERVER && span.parentSpanContext === undefined);
    expect(server, 'the request\'s server span').to.not.equal(undefined);
    const ownIds = new Set([server!.spanContext().spanId]);
    return spans.filter((span) => {
      const own = span === server || (span.parentSpanContext !== undefined && ownIds.has(span.parentSpanContext.spanId));
      if (own) ownIds.add(span.spanContext().spanId);
      return own;
    });
  }

  it('records one server span, named and routed by the matched template, for a request through three routers', async () => {
    const response = await request(`${app.url}/api/items/42`, { headers: { 'x-session-id': 'shape-session-01' } });
    expect(response.status).to.equal(200);
    const spans = await spansOf(response);
    expect(spans.map((span) => [span.name, span.kind])).to.deep.equal([['GET /api/items/:id', SpanKind.SERVER]]);
    expect(spans[0]!.attributes).to.include({ 'http.route': '/api/items/:id', 'http.response.status_code': 200, [ATTR_SESSION_ID]: 'shape-session-01' });
  });

  it('records one span for a request whose user is set mid-request, the user on it', async () => {
    const response = await request(`${app.url}/api/test/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'shape-session-02' },
      body: JSON.stringify({ userId: 'erin' }),
    });
    expect(response.status).to.equal(200);
    const spans = await spansOf(response);
    expect(spans.map((span) => span.name)).to.deep.equal(['POST /api/test/user']);
    expect(spans[0]!.attributes).to.include({ [ATTR_SESSION_ID]: 'shape-session-02', [ATTR_USER_ID]: 'erin' });
  });

  it('records the server span and one client span for a request with one outgoing call', async () => {
    const response = await request(`${app.url}/api/test/call`, { headers: { 'x-session-id': 'shape-session-03', [TEST_USER_HEADER]: 'frank' } });
    expect(response.status).to.equal(200);
    const spans = await spansOf(response);
    expect(spans.map((span) => span.kind).sort()).to.deep.equal([SpanKind.SERVER, SpanKind.CLIENT].sort());
    const server = spans.find((span) => span.kind === SpanKind.SERVER)!;
    const client = spans.find((span) => span.kind === SpanKind.CLIENT)!;
    expect(server.name).to.equal('GET /api/test/call');
    expect(client.parentSpanContext?.spanId).to.equal(server.spanContext().spanId);
    expect(client.attributes).to.include({ [ATTR_SESSION_ID]: 'shape-session-03', [ATTR_USER_ID]: 'frank' });
    expect(String(downstream.received[0]!.baggage)).to.include('session.id=shape-session-03');
  });

  it('records one unnamed server span for an unknown path, without a route', async () => {
    const response = await request(`${app.url}/api/nothing/here`);
    expect(response.status).to.equal(404);
    const spans = await spansOf(response);
    expect(spans.map((span) => span.name)).to.deep.equal(['GET']);
    expect(spans[0]!.attributes).to.not.have.property('http.route');
  });

  it('takes server.address and server.port from a Host header that names a host, and from the socket otherwise', async () => {
    const port = Number(new URL(app.url).port);
    const named = await rawRequest(port, 'GET /api/items/1 HTTP/1.1\r\nHost: orders.internal:8443');
    const garbage = await rawRequest(port, 'GET /api/items/2 HTTP/1.1\r\nHost: <script>alert(1)</script>');
    const [namedSpan] = await spansOfTrace(spanExporter, named.headers['x-trace-id'] ?? 'missing');
    const [garbageSpan] = await spansOfTrace(spanExporter, garbage.headers['x-trace-id'] ?? 'missing');
    expect(namedSpan!.attributes).to.include({ 'server.address': 'orders.internal', 'server.port': 8443 });
    expect(garbageSpan!.attributes).to.include({ 'server.address': '127.0.0.1', 'server.port': port });
  });

  it('names a request by the route that answered, not by a route that declined it', async () => {
    const response = await request(`${app.url}/healthz/`);
    expect(response.status).to.equal(404);
    const spans = await spansOf(response);
    expect(spans.map((span) => span.name)).to.deep.equal(['GET']);
  });
});
