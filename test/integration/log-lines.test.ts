import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Router } from 'express';
import { spanExporter } from '../support/integration-preload.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

/** A route that answers after 100 ms, so a pipelined request behind it has to wait. */
function slowRoute(): Router {
  const router = Router();
  router.get('/slow', async (_req, res) => {
    await sleep(100);
    res.json({ slow: true });
  });
  return router;
}

describe('log lines of a request', () => {
  let app: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    app = await startTestApp({}, [slowRoute()]);
  });

  afterEach(async () => {
    await app.close();
  });

  it('carry session.id, user.id, trace_id, span_id and trace_flags of the request', async () => {
    const response = await request(`${app.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-logs-1' },
      body: JSON.stringify({ userId: 'erin' }),
    });
    const traceId = response.headers.get('x-trace-id')!;
    const spanIds = new Set((await spansOfTrace(spanExporter, traceId)).map((span) => span.spanContext().spanId));

    const lines = app.logLines().filter((line) => line['trace_id'] === traceId);
    const messages = lines.map((line) => line['message']);
    expect(messages).to.include.members(['user logged in', 'request completed']);
    for (const line of lines) {
      expect(line['session.id']).to.equal('session-logs-1');
      expect(line['user.id']).to.equal('erin');
      expect(line['trace_flags']).to.equal('01');
      expect(spanIds.has(String(line['span_id'])), 'span_id names a span of the request').to.equal(true);
    }
  });

  it('write one access line with method, route template, status and duration', async () => {
    await request(`${app.url}/api/session?secret=query`, { headers: { 'x-session-id': 'session-logs-2' } });
    await request(`${app.url}/api/nothing-here`, { headers: { 'x-session-id': 'session-logs-2' } });
    const access = app.logLines().filter((line) => line['message'] === 'request completed');
    expect(access).to.have.length(2);
    expect(access[0]).to.include({ 'http.method': 'GET', 'http.route': '/api/session', 'http.status_code': 200 });
    expect(access[0]!['duration_ms']).to.be.a('number').and.to.be.at.least(0);
    expect(access[1]).to.include({ 'http.route': '(unmatched)', 'http.status_code': 404 });
    expect(JSON.stringify(access)).not.to.include('secret=query');
  });

  it("write each access line with its own request's session when responses queue on one connection", async () => {
    // fetch never pipelines; a raw socket does. The second response is written from the
    // first one's callbacks, which is where an unbound 'finish' listener loses its session.
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(
      'GET /api/slow HTTP/1.1\r\nHost: t\r\nx-session-id: pipelined-0001\r\n\r\n' +
        'GET /healthz HTTP/1.1\r\nHost: t\r\nx-session-id: pipelined-0002\r\nConnection: close\r\n\r\n',
    );
    await new Promise((resolve) => socket.once('close', resolve));
    expect(received.match(/HTTP\/1\.1 200/g)).to.have.length(2);
    const access = app.logLines().filter((line) => line['message'] === 'request completed');
    const sessionByRoute: Record<string, unknown> = Object.fromEntries(
      access.map((line) => [String(line['http.route']), line['session.id']]),
    );
    expect(sessionByRoute).to.deep.equal({ '/api/slow': 'pipelined-0001', '/healthz': 'pipelined-0002' });
  });

  it('write a request aborted line, with its session, when the client goes away first', async () => {
    const aborted = await request(`${app.url}/api/slow`, { headers: { 'x-session-id': 'aborted-0001' }, signal: AbortSignal.timeout(20) }).catch(
      (error: unknown) => error,
    );
    expect(aborted).to.be.instanceOf(Error);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = app.logLines().filter((line) => line['session.id'] === 'aborted-0001');
    expect(lines.map((line) => line['message'])).to.deep.equal(['request aborted']);
    expect(lines[0]).to.include({ 'http.route': '/api/slow', 'http.method': 'GET' });
  });
});
