import { SpanKind } from '@opentelemetry/api';
import { expect } from 'chai';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../../../src/core/context/semconv.ts';
import { TEST_USER_HEADER } from '../support/fixtures/test-routes.ts';
import { spanExporter } from '../support/integration-preload.ts';
import { startRecordingDownstream } from '../support/recording-downstream.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

describe('session context on spans (real SDK, in-memory exporter)', () => {
  let app: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    app = await startTestApp();
  });

  afterEach(async () => {
    await app.close();
  });

  it('tags the request\'s span, named after its route, with the session id of x-session-id', async () => {
    const response = await request(`${app.url}/api/test/session`, { headers: { 'x-session-id': 'session-0001' } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-session-id')).to.equal('session-0001');
    const traceId = response.headers.get('x-trace-id')!;
    expect(traceId).to.match(/^[0-9a-f]{32}$/);

    // One span a request (test/core/integration/span-shape.test.ts): no router or middleware spans.
    const spans = await spansOfTrace(spanExporter, traceId);
    expect(spans.map((span) => span.name)).to.deep.equal(['GET /api/test/session']);
    expect(spans[0]!.attributes[ATTR_SESSION_ID]).to.equal('session-0001');
  });

  it('answers with the session, user and trace it read from the context after an async hop', async () => {
    const response = await request(`${app.url}/api/test/session`, { headers: { 'x-session-id': 'session-0002' } });
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).to.deep.equal({ sessionId: 'session-0002', userId: null, traceId: response.headers.get('x-trace-id') });
  });

  it('generates a UUID session id when the request brings none', async () => {
    const response = await request(`${app.url}/api/test/session`);
    const sessionId = response.headers.get('x-session-id')!;
    expect(sessionId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    for (const span of spans) expect(span.attributes[ATTR_SESSION_ID]).to.equal(sessionId);
  });

  it('adopts a valid session.id from incoming baggage when there is no header', async () => {
    const response = await request(`${app.url}/api/test/session`, { headers: { baggage: 'session.id=from-baggage-01' } });
    expect(response.headers.get('x-session-id')).to.equal('from-baggage-01');
  });

  it('prefers the x-session-id header over baggage', async () => {
    const response = await request(`${app.url}/api/test/session`, {
      headers: { 'x-session-id': 'from-header-01', baggage: 'session.id=from-baggage-01' },
    });
    expect(response.headers.get('x-session-id')).to.equal('from-header-01');
  });

  const invalidIds: [string, string][] = [
    ['too short (7 characters)', 'abcdefg'],
    ['too long (129 characters)', 'a'.repeat(129)],
    ['containing =', 'abcd=efgh'],
    ['containing a space', 'abcd efgh'],
    ['non-ASCII', 'sessión-0001'],
  ];
  for (const [description, invalid] of invalidIds) {
    it(`replaces an invalid session id (${description}) and never lets it reach a header, span or log line`, async () => {
      const headers = new Headers();
      // fetch refuses to send some bytes at all; encode what it would reject like a raw client.
      headers.set('x-session-id', Buffer.from(invalid, 'utf8').toString('latin1'));
      const response = await request(`${app.url}/api/test/session`, { headers });
      const sessionId = response.headers.get('x-session-id')!;
      expect(sessionId).not.to.equal(invalid);
      expect(sessionId).to.match(/^[0-9a-f-]{36}$/);
      const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
      const recorded = JSON.stringify([spans.map((span) => span.attributes), app.logLines()]);
      expect(recorded).not.to.include(invalid);
      for (const span of spans) expect(span.attributes[ATTR_SESSION_ID]).to.equal(sessionId);
    });
  }

  it('puts user.id on the root span when a route sets the user mid-request', async () => {
    const response = await request(`${app.url}/api/test/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-user-01' },
      body: JSON.stringify({ userId: 'alice' }),
    });
    expect(response.status).to.equal(200);
    expect(((await response.json()) as { userId: string }).userId).to.equal('alice');
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    const root = spans.find((span) => span.kind === SpanKind.SERVER)!;
    expect(root.attributes[ATTR_USER_ID]).to.equal('alice');
    expect(root.attributes[ATTR_SESSION_ID]).to.equal('session-user-01');
    for (const span of spans) expect(span.attributes[ATTR_SESSION_ID], span.name).to.equal('session-user-01');
  });

  it('puts user.id on the root span and on spans started after a middleware sets the user', async () => {
    const downstream = await startRecordingDownstream();
    const calling = await startTestApp({ env: { TEST_DOWNSTREAM_URL: downstream.url } });
    try {
      const response = await request(`${calling.url}/api/test/call`, {
        headers: { 'x-session-id': 'session-user-02', [TEST_USER_HEADER]: 'alice' },
      });
      expect(response.status).to.equal(200);
      const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
      const root = spans.find((span) => span.parentSpanContext === undefined)!;
      const call = spans.find((span) => span.kind === SpanKind.CLIENT)!;
      expect(call.parentSpanContext?.spanId).to.equal(root.spanContext().spanId);
      for (const span of [root, call]) expect(span.attributes, span.name).to.include({ [ATTR_USER_ID]: 'alice', [ATTR_SESSION_ID]: 'session-user-02' });
    } finally {
      await calling.close();
      await downstream.close();
    }
  });

  it('ignores user.id in baggage from an untrusted caller (the default)', async () => {
    const response = await request(`${app.url}/api/test/session`, {
      headers: { 'x-session-id': 'session-edge-01', baggage: 'user.id=mallory' },
    });
    expect(((await response.json()) as { userId: unknown }).userId).to.equal(null);
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    for (const span of spans) expect(span.attributes[ATTR_USER_ID]).to.equal(undefined);
  });
});
