import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { DrivenSession } from './e2e-stack.ts';
import { searchTraces, servicesOf, tagOf, type JaegerTrace } from './jaeger-query.ts';
import { waitFor } from './service-process.ts';

/**
 * Checks of what Jaeger holds for sessions driven through `api` -> `orders`, shared by the
 * end-to-end suite (local processes) and the compose suite (containers).
 */

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** Polls Jaeger until the search returns at least `expected` traces: there are three batching hops. */
export async function searchUntil(
  queryUrl: string,
  service: string,
  tags: Record<string, string>,
  expected: number,
  sinceMs: number,
): Promise<JaegerTrace[]> {
  let traces: JaegerTrace[] = [];
  await waitFor(
    `${expected} traces of ${service} tagged ${JSON.stringify(tags)} in Jaeger`,
    async () => {
      traces = await searchTraces(queryUrl, service, tags, sinceMs);
      return traces.length >= expected;
    },
    60_000,
  );
  return traces;
}

/** Every request of the session is found in `api` by session.id, and no other trace. */
export async function expectEveryRequestFound(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const traces = await searchUntil(queryUrl, 'api', { 'session.id': session.sessionId }, session.traceIds.length, sinceMs);
  expect(traces.map((trace) => trace.traceID).sort()).to.deep.equal([...session.traceIds].sort());
}

/** The downstream call is found in `orders` too, as one trace holding spans of both services. */
export async function expectDownstreamAcrossServices(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const traces = await searchUntil(queryUrl, 'orders', { 'session.id': session.sessionId }, 1, sinceMs);
  expect(traces.map((trace) => trace.traceID)).to.deep.equal([session.downstreamTraceId]);
  expect([...servicesOf(traces[0]!)].sort()).to.deep.equal(['api', 'orders']);
}

/** Every span carries session.id; user.id is stored only as its SHA-256, never raw. */
export async function expectSessionTags(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const traces = await searchUntil(queryUrl, 'api', { 'session.id': session.sessionId }, session.traceIds.length, sinceMs);
  const spans = traces.flatMap((trace) => trace.spans);
  expect(spans.length).to.be.at.least(session.traceIds.length * 5);
  for (const span of spans) expect(tagOf(span, 'session.id'), span.operationName).to.equal(session.sessionId);
  const userIds = new Set(spans.map((span) => tagOf(span, 'user.id')).filter((value) => value !== undefined));
  expect([...userIds]).to.deep.equal(session.userId === undefined ? [] : [sha256(session.userId)]);
  if (session.userId !== undefined) expect(JSON.stringify(traces)).not.to.include(session.userId);
}

/** The session's downstream trace is found in `orders` by the hashed user.id. */
export async function expectFoundByHashedUser(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const traces = await searchUntil(queryUrl, 'orders', { 'user.id': sha256(session.userId ?? '') }, 1, sinceMs);
  expect(traces.map((trace) => trace.traceID)).to.deep.equal([session.downstreamTraceId]);
}
