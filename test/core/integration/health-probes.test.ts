import { expect } from 'chai';
import { spanExporter } from '../support/integration-preload.ts';
import { rawRequest } from '../support/raw-http.ts';
import { spansOfTrace } from '../support/spans.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';
import { waitForLogLine, waitForLogLines, type LogLine } from '../support/wait-for-log-lines.ts';

/** The session of an access line (`request completed`), else undefined. */
function accessLineSession(line: LogLine): string | undefined {
  return line['message'] === 'request completed' && typeof line['session.id'] === 'string' ? line['session.id'] : undefined;
}

/** Sends GET and HEAD of both probes, each with its own session (`<prefix>-<n>`); answers the sessions. */
async function probeAll(port: number, prefix: string): Promise<string[]> {
  const sessions: string[] = [];
  for (const [index, target] of ['GET /healthz', 'HEAD /healthz', 'GET /readyz', 'HEAD /readyz?'].entries()) {
    const sessionId = `${prefix}-${index}`;
    const response = await rawRequest(port, `${target} HTTP/1.1\r\nHost: service\r\nx-session-id: ${sessionId}`);
    expect(response.status, target).to.equal(200);
    sessions.push(sessionId);
  }
  return sessions;
}

describe('health probes', () => {
  let app: TestApp;
  let port: number;

  before(async () => {
    app = await startTestApp();
    port = Number(new URL(app.url).port);
  });

  after(async () => {
    await app.close();
  });

  beforeEach(() => {
    spanExporter.reset();
  });

  /** The spans carrying `sessionId`, once a later traced request's spans have been flushed. */
  async function spansOfSession(sessionId: string): Promise<number> {
    const marker = await request(`${app.url}/api/test/session`, { headers: { 'x-session-id': 'probe-marker-0001' } });
    await spansOfTrace(spanExporter, marker.headers.get('x-trace-id') ?? 'missing x-trace-id');
    return spanExporter.getFinishedSpans().filter((span) => span.attributes['session.id'] === sessionId).length;
  }

  it('answers every request that reaches a probe handler untraced when it is GET or HEAD of /healthz or /readyz', async () => {
    const probes: [string, string, number][] = [
      ['GET', '/healthz', 200],
      ['HEAD', '/healthz', 200],
      ['GET', '/healthz?verbose=1', 200],
      ['GET', '/readyz', 200],
      ['HEAD', '/readyz', 200],
      ['GET', '/readyz?', 200],
    ];
    for (const [index, [method, target, status]] of probes.entries()) {
      const sessionId = `probe-untraced-${index}`;
      const response = await rawRequest(port, `${method} ${target} HTTP/1.1\r\nHost: service\r\nx-session-id: ${sessionId}`);
      expect(response.status, `${method} ${target}`).to.equal(status);
      expect(response.headers, `${method} ${target}`).not.to.have.property('x-trace-id');
      expect(await spansOfSession(sessionId), `spans of ${method} ${target}`).to.equal(0);
    }
  });

  it('answers 404 not_found, traced like any unknown path, when the probe path is spelled differently', async () => {
    const targets = ['/healthz/', '/HEALTHZ', '/Healthz', '/readyz/', '/READYZ', '/healthz#fragment', 'http://service/healthz', '//healthz'];
    for (const target of targets) {
      const response = await rawRequest(port, `GET ${target} HTTP/1.1\r\nHost: service`);
      expect(response.status, target).to.equal(404);
      expect(JSON.parse(response.body), target).to.deep.equal({ error: 'not_found', message: 'No route matches this method and path' });
      const traceId = response.headers['x-trace-id'];
      expect(traceId, `x-trace-id of ${target}`).to.be.a('string');
      const spans = await spansOfTrace(spanExporter, traceId!);
      expect(spans.length, `spans of ${target}`).to.be.at.least(1);
      const access = app.logLines().filter((line) => line['trace_id'] === traceId && line['message'] === 'request completed');
      expect(access.map((line) => line['http.route']), `access line of ${target}`).to.deep.equal(['(unmatched)']);
    }
  });

  it('writes no access line for a probe when LOG_HEALTH_PROBES is unset', async () => {
    const probes = await probeAll(port, 'probe-quiet');
    // A request after the probes: once its access line is written, theirs would be too.
    await request(`${app.url}/api/test/session`, { headers: { 'x-session-id': 'probe-quiet-marker' } });
    await waitForLogLine(app, 'of the request after the probes', (line) => accessLineSession(line) === 'probe-quiet-marker');
    const sessions = new Set(app.logLines().map((line) => line['session.id']));
    for (const sessionId of probes) expect(sessions.has(sessionId), `a line of ${sessionId}`).to.equal(false);
  });

  it('writes the access line of a declined probe path (POST, a different spelling) when LOG_HEALTH_PROBES is unset', async () => {
    await request(`${app.url}/healthz`, { method: 'POST', headers: { 'x-session-id': 'probe-declined-0' } });
    await rawRequest(port, 'GET /healthz/ HTTP/1.1\r\nHost: service\r\nx-session-id: probe-declined-1');
    await waitForLogLines(app, 'the access lines of the declined probes', ['probe-declined-0', 'probe-declined-1'], accessLineSession);
  });

  it('writes an access line for each probe when LOG_HEALTH_PROBES=true', async () => {
    const logged = await startTestApp({ env: { LOG_HEALTH_PROBES: 'true' } });
    try {
      const probes = await probeAll(Number(new URL(logged.url).port), 'probe-logged');
      const lines = await waitForLogLines(logged, 'the access lines of the probes', probes, accessLineSession);
      expect([...lines.values()].map((line) => [line['http.request.method'], line['http.route'], line['http.response.status_code']])).to.deep.equal([
        ['GET', '/healthz', 200],
        ['HEAD', '/healthz', 200],
        ['GET', '/readyz', 200],
        ['HEAD', '/readyz', 200],
      ]);
    } finally {
      await logged.close();
    }
  });

  it('traces a request to a probe path when its method is not GET or HEAD', async () => {
    const response = await request(`${app.url}/healthz`, { method: 'POST' });
    expect(response.status).to.equal(404);
    const traceId = response.headers.get('x-trace-id');
    expect(traceId).to.be.a('string');
    expect(await spansOfTrace(spanExporter, traceId!)).to.have.length.at.least(1);
  });
});
