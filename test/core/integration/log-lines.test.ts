import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { Router } from 'express';
import { spanExporter } from '../support/integration-preload.ts';
import { waitFor } from '../support/service-process.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';
import { accessLineTraceId, waitForLogLine, waitForLogLines, type LogLine } from '../support/wait-for-log-lines.ts';

/** A route that answers after 100 ms, so a pipelined request behind it has to wait. */
function slowRoute(): Router {
  const router = Router();
  router.get('/slow', async (_req, res) => {
    await sleep(100);
    res.json({ slow: true });
  });
  return router;
}

/** The x-session-id of every request the /until-client-leaves route has started. */
const waitingForClient = new Set<string>();

/**
 * A route that never answers: it waits for its client to go away, so the request can only
 * end as aborted, however long the client takes to abort on a busy machine.
 */
function untilClientLeavesRoute(): Router {
  const router = Router();
  router.get('/until-client-leaves', (req) => {
    waitingForClient.add(String(req.headers['x-session-id']));
  });
  return router;
}

/** The `http.route` of an access line that says `request completed`, else undefined. */
const completedRoute = (line: LogLine): string | undefined =>
  line['message'] === 'request completed' ? String(line['http.route']) : undefined;

describe('log lines of a request', () => {
  let app: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    app = await startTestApp({ routers: [slowRoute(), untilClientLeavesRoute()] });
  });

  afterEach(async () => {
    await app.close();
  });

  it('carry session.id, user.id, trace_id, span_id and trace_flags of the request', async () => {
    const response = await request(`${app.url}/api/test/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-logs-1' },
      body: JSON.stringify({ userId: 'erin' }),
    });
    const traceId = response.headers.get('x-trace-id')!;
    const spanIds = new Set((await spansOfTrace(spanExporter, traceId)).map((span) => span.spanContext().spanId));
    // The access line is the request's last, written on 'finish': once it is read, all are.
    await waitForLogLines(app, 'the access line of POST /api/test/user', [traceId], accessLineTraceId);

    const lines = app.logLines().filter((line) => line['trace_id'] === traceId);
    const messages = lines.map((line) => line['message']);
    // 'user set' is written by the route, after setByKey: the user is on it as on the access line.
    expect(messages).to.include.members(['user set', 'request completed']);
    for (const line of lines) {
      expect(line['session.id']).to.equal('session-logs-1');
      expect(line['user.id']).to.equal('erin');
      expect(line['trace_flags']).to.equal('01');
      expect(spanIds.has(String(line['span_id'])), 'span_id names a span of the request').to.equal(true);
    }
  });

  it('write one access line with method, route template, status and duration', async () => {
    const found = await request(`${app.url}/api/test/session?secret=query`, { headers: { 'x-session-id': 'session-logs-2' } });
    const notFound = await request(`${app.url}/api/nothing-here`, { headers: { 'x-session-id': 'session-logs-2' } });
    const [foundTrace, notFoundTrace] = [found, notFound].map((response) => response.headers.get('x-trace-id')!) as [string, string];
    const byTrace = await waitForLogLines(app, 'the access lines of both requests', [foundTrace, notFoundTrace], accessLineTraceId);
    const access = app.logLines().filter((line) => line['message'] === 'request completed');
    expect(access).to.have.length(2);
    expect(byTrace.get(foundTrace)).to.include({ 'message': 'request completed', 'http.request.method': 'GET', 'http.route': '/api/test/session', 'http.response.status_code': 200 });
    expect(byTrace.get(foundTrace)!['duration_ms']).to.be.a('number').and.to.be.at.least(0);
    expect(byTrace.get(notFoundTrace)).to.include({ 'message': 'request completed', 'http.route': '(unmatched)', 'http.response.status_code': 404 });
    expect(JSON.stringify(access)).not.to.include('secret=query');
  });

  it('name a route with its mount path whether it answers or the error handler does', async () => {
    const setUser = (body: string): Promise<Response> =>
      request(`${app.url}/api/test/user`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await setUser('{"userId":"frank"}')).status).to.equal(200);
    expect((await setUser('{"userId":"bad user"}')).status).to.equal(400);
    await waitForLogLines(app, 'the access lines of both requests', ['200', '400'], (line) =>
      line['message'] === 'request completed' ? String(line['http.response.status_code']) : undefined,
    );
    const access = app.logLines().filter((line) => line['message'] === 'request completed');
    expect(access.map((line) => [line['http.response.status_code'], line['http.route']])).to.deep.equal([
      [200, '/api/test/user'],
      [400, '/api/test/user'],
    ]);
  });

  it("write each access line with its own request's session when responses queue on one connection", async () => {
    // fetch never pipelines; a raw socket does. The second response is written from the
    // first one's callbacks, which is where an unbound 'finish' listener loses its session.
    const socket = connect(Number(new URL(app.url).port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.write(
      'GET /api/slow HTTP/1.1\r\nHost: t\r\nx-session-id: pipelined-0001\r\n\r\n' +
        'GET /api/test/session HTTP/1.1\r\nHost: t\r\nx-session-id: pipelined-0002\r\nConnection: close\r\n\r\n',
    );
    await new Promise((resolve) => socket.once('close', resolve));
    expect(received.match(/HTTP\/1\.1 200/g)).to.have.length(2);
    await waitForLogLines(app, 'the access lines of both pipelined requests', ['/api/slow', '/api/test/session'], completedRoute);
    const access = app.logLines().filter((line) => line['message'] === 'request completed');
    const sessionByRoute: Record<string, unknown> = Object.fromEntries(
      access.map((line) => [String(line['http.route']), line['session.id']]),
    );
    expect(sessionByRoute).to.deep.equal({ '/api/slow': 'pipelined-0001', '/api/test/session': 'pipelined-0002' });
  });

  it('write a request aborted line, with its session, when the client goes away first', async () => {
    const client = new AbortController();
    const pending = request(`${app.url}/api/until-client-leaves`, { headers: { 'x-session-id': 'aborted-0001' }, signal: client.signal }).catch(
      (error: unknown) => error,
    );
    // Abort only once the handler runs: earlier, the request might never reach the app.
    await waitFor('the /api/until-client-leaves handler to start', () => waitingForClient.has('aborted-0001'));
    client.abort();
    expect(await pending).to.be.instanceOf(Error);
    // The route never answers, so no 'request completed' line can follow the aborted one.
    await waitForLogLine(app, 'of the aborted request', (line) => line['session.id'] === 'aborted-0001');
    const lines = app.logLines().filter((line) => line['session.id'] === 'aborted-0001');
    expect(lines.map((line) => line['message'])).to.deep.equal(['request aborted']);
    expect(lines[0]).to.include({ 'http.route': '/api/until-client-leaves', 'http.request.method': 'GET' });
  });
});
