import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { driveSession, startE2eStack, type DrivenSession, type E2eStack } from '../support/e2e-stack.ts';
import { searchTraces, servicesOf, tagOf, type JaegerTrace } from '../support/jaeger-query.ts';
import { waitFor } from '../support/service-process.ts';

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

describe('end to end: service -> OpenTelemetry Collector -> Jaeger (real programs)', function () {
  // The first run builds the collector and Jaeger from the Go module proxy.
  this.timeout(30 * 60_000);

  let stack: E2eStack;
  const startedAt = Date.now();
  const sessions: DrivenSession[] = [];

  before(async () => {
    stack = await startE2eStack();
    const run = Date.now().toString(36);
    for (const [i, user] of ['alice', 'bob', 'carol'].entries()) {
      sessions.push(await driveSession(stack.api, `e2e-${run}-session-${i}`, `${user}@example.com`));
    }
    // SIGTERM flushes the services' span queues; the collector and Jaeger batch further.
    expect(await stack.api.stop('SIGTERM')).to.equal(0);
    expect(await stack.orders.stop('SIGTERM')).to.equal(0);
  });

  after(async () => {
    await stack.stop();
  });

  /** Polls Jaeger until the search returns at least `expected` traces (three batching hops). */
  async function search(service: string, tags: Record<string, string>, expected: number): Promise<JaegerTrace[]> {
    let traces: JaegerTrace[] = [];
    await waitFor(`${expected} traces of ${service} tagged ${JSON.stringify(tags)} in Jaeger`, async () => {
      traces = await searchTraces(stack.jaeger.queryUrl, service, tags, startedAt);
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
      expect([...userIds]).to.deep.equal([sha256(session.userId!)]);
      expect(JSON.stringify(traces)).not.to.include(session.userId!);
    }
  });

  it('finds a user\'s traces by the hashed user.id', async () => {
    const [session] = sessions;
    const traces = await search('orders', { 'user.id': sha256(session!.userId!) }, 1);
    expect(traces.map((trace) => trace.traceID)).to.deep.equal([session!.downstreamTraceId]);
  });
});
