import { SpanKind } from '@opentelemetry/api';
import { expect } from 'chai';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../../src/telemetry/semconv.ts';
import { spanExporter } from '../support/integration-preload.ts';
import { spansOfTrace } from '../support/spans.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

async function login(app: TestApp, userId: string, sessionId: string): Promise<string> {
  const response = await request(`${app.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-id': sessionId },
    body: JSON.stringify({ userId }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe('a session crossing a service boundary', () => {
  let internal: TestApp;
  let edge: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    internal = await startTestApp({ TRUST_INCOMING_BAGGAGE: 'true' });
    edge = await startTestApp({ DOWNSTREAM_URL: `${internal.url}/api/session` });
  });

  afterEach(async () => {
    await Promise.all([edge.close(), internal.close()]);
  });

  it('gives the downstream the same session, user and trace, and tags its spans with them', async () => {
    const token = await login(edge, 'carol', 'session-cross-1');
    const response = await request(`${edge.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-cross-1', authorization: `Bearer ${token}` },
    });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id')!;
    const body = (await response.json()) as { status: number; downstream: Record<string, unknown> };
    expect(body.downstream).to.deep.equal({ sessionId: 'session-cross-1', userId: 'carol', traceId });

    const spans = await spansOfTrace(spanExporter, traceId, 2);
    const serverSpans = spans.filter((span) => span.kind === SpanKind.SERVER).map((span) => span.name);
    expect(serverSpans.sort()).to.deep.equal(['GET /api/downstream', 'GET /api/session']);
    expect(spans.filter((span) => span.kind === SpanKind.CLIENT)).to.have.length(1);
    for (const span of spans) expect(span.attributes[ATTR_SESSION_ID], span.name).to.equal('session-cross-1');
    const userSpans = spans.filter((span) => span.kind !== SpanKind.INTERNAL || span.name.startsWith('request handler'));
    for (const span of userSpans) expect(span.attributes[ATTR_USER_ID], span.name).to.equal('carol');
  });
});

describe('outgoing baggage', () => {
  let app: TestApp;
  let downstream: RecordingDownstream;

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
    app = await startTestApp({ DOWNSTREAM_URL: downstream.url });
  });

  afterEach(async () => {
    await app.close();
    await downstream.close();
  });

  it('carries session.id and the user id that the store holds at the time of the call', async () => {
    const token = await login(app, 'dave', 'session-bag-01');
    await request(`${app.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-bag-01', authorization: `Bearer ${token}` },
    });
    expect(downstream.received).to.have.length(1);
    const baggage = String(downstream.received[0]!.baggage).split(',').map((entry) => entry.trim()).sort();
    expect(baggage).to.deep.equal(['session.id=session-bag-01', 'user.id=dave']);
    expect(downstream.received[0]!.traceparent).to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('does not forward baggage entries planted by an untrusted client', async () => {
    await request(`${app.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-bag-02', baggage: 'user.id=mallory,tenant=evil' },
    });
    expect(downstream.received[0]!.baggage).to.equal('session.id=session-bag-02');
  });
});
