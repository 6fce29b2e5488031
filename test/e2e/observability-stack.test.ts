import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { builtBinary, startCollector, startJaeger, type Jaeger, type RunningProgram } from '../support/observability-stack.ts';
import { searchTraces, servicesOf, tagOf, type JaegerTrace } from '../support/jaeger-query.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

interface DrivenSession {
  readonly sessionId: string;
  readonly userId: string;
  /** Trace id of every request of the session, from the x-trace-id response header. */
  readonly traceIds: string[];
  readonly downstreamTraceId: string;
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Login, an authenticated read and a downstream call, all under one session id. */
async function driveSession(api: ServiceProcess, sessionId: string, userId: string): Promise<DrivenSession> {
  const headers = { 'x-session-id': sessionId };
  const login = await fetch(`${api.url}/api/login`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  expect(login.status).to.equal(200);
  const { token } = (await login.json()) as { token: string };
  const authenticated = { ...headers, authorization: `Bearer ${token}` };
  const read = await fetch(`${api.url}/api/session`, { headers: authenticated });
  const downstream = await fetch(`${api.url}/api/downstream`, { headers: authenticated });
  expect(((await downstream.json()) as { downstream: { sessionId: string } }).downstream.sessionId).to.equal(sessionId);
  const traceIds = [login, read, downstream].map((response) => response.headers.get('x-trace-id')!);
  return { sessionId, userId, traceIds, downstreamTraceId: traceIds[2]! };
}

describe('end to end: service -> OpenTelemetry Collector -> Jaeger (real programs)', function () {
  // The first run builds the collector and Jaeger from the Go module proxy.
  this.timeout(30 * 60_000);

  let jaeger: Jaeger;
  let collector: RunningProgram;
  let orders: ServiceProcess;
  let api: ServiceProcess;
  const startedAt = Date.now();
  const sessions: DrivenSession[] = [];

  before(async () => {
    const jaegerBinary = builtBinary('build-jaeger.sh');
    const collectorBinary = builtBinary('build-collector.sh');
    jaeger = await startJaeger(jaegerBinary);
    collector = await startCollector(collectorBinary, jaeger.otlpGrpcEndpoint);
    const exportEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_BSP_SCHEDULE_DELAY: '200' };
    orders = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'orders', TRUST_INCOMING_BAGGAGE: 'true' });
    api = await startServiceProcess({
      ...exportEnv,
      OTEL_SERVICE_NAME: 'api',
      DOWNSTREAM_URL: `${orders.url}/api/session`,
      PROPAGATE_USER_ID: 'true',
    });

    const run = Date.now().toString(36);
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
      sessions.push(await driveSession(api, `e2e-${run}-session-${i}`, `${user}@example.com`));
    }
    // SIGTERM flushes the services' span queues; the collector and Jaeger batch further.
    expect(await api.stop('SIGTERM')).to.equal(0);
    expect(await orders.stop('SIGTERM')).to.equal(0);
  });

  after(async () => {
    await api.stop('SIGKILL');
    await orders.stop('SIGKILL');
    await collector.stop();
    await jaeger.stop();
  });

  /** Polls Jaeger until the search returns at least `expected` traces (three batching hops). */
  async function search(service: string, tags: Record<string, string>, expected: number): Promise<JaegerTrace[]> {
    let traces: JaegerTrace[] = [];
    await waitFor(`${expected} traces of ${service} tagged ${JSON.stringify(tags)} in Jaeger`, async () => {
      traces = await searchTraces(jaeger.queryUrl, service, tags, startedAt);
      return traces.length >= expected;
    }, 60_000);
    return traces;
  }

  it('finds every request of each session, and no trace of another session, by session.id in service api', async () => {
    for (const session of sessions) {
      const traces = await search('api', { 'session.id': session.sessionId }, session.traceIds.length);
      expect(traces.map((trace) => trace.traceID).sort()).to.deep.equal([...session.traceIds].sort());
    }
  });

  it('finds the downstream call of each session in service orders, as one trace holding spans of both services', async () => {
    for (const session of sessions) {
      const traces = await search('orders', { 'session.id': session.sessionId }, 1);
      expect(traces.map((trace) => trace.traceID)).to.deep.equal([session.downstreamTraceId]);
      expect([...servicesOf(traces[0]!)].sort()).to.deep.equal(['api', 'orders']);
    }
  });

  it('stores session.id on every span and user.id only as its SHA-256, never raw', async () => {
    for (const session of sessions) {
      const traces = await search('api', { 'session.id': session.sessionId }, session.traceIds.length);
      const spans = traces.flatMap((trace) => trace.spans);
      expect(spans.length).to.be.at.least(session.traceIds.length * 5);
      for (const span of spans) expect(tagOf(span, 'session.id'), span.operationName).to.equal(session.sessionId);
      const userIds = new Set(spans.map((span) => tagOf(span, 'user.id')).filter((value) => value !== undefined));
      expect([...userIds]).to.deep.equal([sha256(session.userId)]);
      expect(JSON.stringify(traces)).not.to.include(session.userId);
    }
  });

  it('finds a user\'s traces by the hashed user.id', async () => {
    const [session] = sessions;
    const traces = await search('orders', { 'user.id': sha256(session!.userId) }, 1);
    expect(traces.map((trace) => trace.traceID)).to.deep.equal([session!.downstreamTraceId]);
  });
});
