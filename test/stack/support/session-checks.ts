import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { DrivenSession } from './e2e-stack.ts';
import { searchTraces, servicesOf, tagOf, type JaegerTrace } from './jaeger-query.ts';
import { waitFor } from '../../core/support/service-process.ts';

/**
 * Checks of what Jaeger holds for sessions driven through `api` -> `orders`, shared by the
 * end-to-end suite (local processes) and the compose suite (containers).
 */

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/**
 * Polls Jaeger's search until its answer is `complete` (three batching hops lie between a
 * request and a search hit, and a trace is found as soon as its first span is stored, before
 * the rest of it), then returns that answer. The timeout names `what` did not arrive and
 * what the last search returned.
 */
export async function searchUntil(
  queryUrl: string,
  service: string,
  tags: Record<string, string>,
  sinceMs: number,
  what: string,
  complete: (traces: readonly JaegerTrace[]) => boolean,
): Promise<JaegerTrace[]> {
  let traces: JaegerTrace[] = [];
  await waitFor(
    `${what} in Jaeger (service ${service}, tags ${JSON.stringify(tags)})`,
    async () => {
      traces = await searchTraces(queryUrl, service, tags, sinceMs);
      return complete(traces);
    },
    60_000,
    () => `the last search found ${traces.map((trace) => `${trace.traceID} (${trace.spans.length} spans of ${[...servicesOf(trace)].join(',')})`).join(', ') || 'nothing'}`,
  );
  return traces;
}

/** True when `traces` holds each of `traceIds`. */
const holdsAll = (traces: readonly JaegerTrace[], traceIds: readonly string[]): boolean =>
  traceIds.every((traceId) => traces.some((trace) => trace.traceID === traceId));

/** Every request of the session is found in `api` by session.id, and no other trace. */
export async function expectEveryRequestFound(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const traces = await searchUntil(queryUrl, 'api', { 'session.id': session.sessionId }, sinceMs, `every trace of session ${session.sessionId}`, (found) =>
    holdsAll(found, session.traceIds),
  );
  expect(traces.map((trace) => trace.traceID).sort()).to.deep.equal([...session.traceIds].sort());
}

/** The downstream call is found in `orders` too, as one trace holding spans of both services. */
export async function expectDownstreamAcrossServices(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const traces = await searchUntil(
    queryUrl,
    'orders',
    { 'session.id': session.sessionId },
    sinceMs,
    `the downstream trace ${session.downstreamTraceId} with spans of api and orders`,
    (found) => found.some((trace) => trace.traceID === session.downstreamTraceId && servicesOf(trace).has('api') && servicesOf(trace).has('orders')),
  );
  expect(traces.map((trace) => trace.traceID)).to.deep.equal([session.downstreamTraceId]);
  expect([...servicesOf(traces[0]!)].sort()).to.deep.equal(['api', 'orders']);
}

/**
 * Every span carries session.id; user.id is stored only as its SHA-256, never raw. The
 * session's traces hold exactly one span a request (the server span in `api`) plus, for the
 * downstream call, its client span and the server span in `orders`.
 */
export async function expectSessionTags(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const expected = session.traceIds.length + 2;
  const spansOfSession = (traces: readonly JaegerTrace[]): number =>
    traces.filter((trace) => session.traceIds.includes(trace.traceID)).reduce((sum, trace) => sum + trace.spans.length, 0);
  const traces = await searchUntil(
    queryUrl,
    'api',
    { 'session.id': session.sessionId },
    sinceMs,
    `every trace of session ${session.sessionId} with its ${expected} spans`,
    (found) => holdsAll(found, session.traceIds) && spansOfSession(found) >= expected,
  );
  const spans = traces.flatMap((trace) => trace.spans);
  expect(spans.length).to.equal(expected);
  for (const span of spans) expect(tagOf(span, 'session.id'), span.operationName).to.equal(session.sessionId);
  const userIds = new Set(spans.map((span) => tagOf(span, 'user.id')).filter((value) => value !== undefined));
  expect([...userIds]).to.deep.equal(session.userId === undefined ? [] : [sha256(session.userId)]);
  if (session.userId !== undefined) expect(JSON.stringify(traces)).not.to.include(session.userId);
}

/** The session's downstream trace is found in `orders` by the hashed user.id. */
export async function expectFoundByHashedUser(queryUrl: string, session: DrivenSession, sinceMs: number): Promise<void> {
  const traces = await searchUntil(
    queryUrl,
    'orders',
    { 'user.id': sha256(session.userId ?? '') },
    sinceMs,
    `the downstream trace ${session.downstreamTraceId} by its hashed user.id`,
    (found) => holdsAll(found, [session.downstreamTraceId]),
  );
  expect(traces.map((trace) => trace.traceID)).to.deep.equal([session.downstreamTraceId]);
}
