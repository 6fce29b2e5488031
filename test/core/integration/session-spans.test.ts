import { SpanKind } from '@opentelemetry/api';
import { expect } from 'chai';
import { ATTR_SESSION_ID, ATTR_USER_ID } from '../../../src/core/context/semconv.ts';
import { TEST_USER_HEADER } from '../support/fixtures/test-routes.ts';
import { spanExporter } from '../support/integration-preload.ts';
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

  it('tags every span of a request, express router, route and server spans included, with the session id of x-session-id', async () => {
    const response = await request(`${app.url}/api/test/session`, { headers: { 'x-session-id': 'session-0001' } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-session-id')).to.equal('session-0001');
    const traceId = response.headers.get('x-trace-id')!;
    expect(traceId).to.match(/^[0-9a-f]{32}$/);

    const spans = await spansOfTrace(spanExporter, traceId);
    const names = spans.map((span) => span.name);
    expect(names).to.include('GET /api/test/session');
    expect(names.some((name) => name.startsWith('router'))).to.equal(true);
    expect(names.some((name) => name.startsWith('request handler'))).to.equal(true);
    // Middleware spans are trimmed by default (src/telemetry/instrumentations.ts).
    expect(names.some((name) => name.startsWith('middleware'))).to.equal(false);
    for (const span of spans) expect(span.attributes[ATTR_SESSION_ID], span.name).to.equal('session-0001');
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

  it('puts user.id on the root span and the spans after authentication when a middleware sets the user', async () => {
    const response = await request(`${app.url}/api/test/session`, {
      headers: { 'x-session-id': 'session-user-02', [TEST_USER_HEADER]: 'alice' },
    });
    expect(((await response.json()) as { userId: string }).userId).to.equal('alice');
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    const afterAuth = spans.filter((span) => span.name.startsWith('request handler') || span.kind === SpanKind.SERVER);
    expect(afterAuth).to.have.length(2);
    for (const span of afterAuth) expect(span.attributes[ATTR_USER_ID], span.name).to.equal('alice');
    // Spans that started before authentication cannot carry the user; they still carry the session.
    for (const span of spans) expect(span.attributes[ATTR_SESSION_ID]).to.equal('session-user-02');
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
