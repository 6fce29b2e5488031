import type { JaegerTrace } from './jaeger-answer.ts';
import type { JaegerClient } from './jaeger-client.ts';
import { summarizeTrace, type TraceSummary } from './trace-summary.ts';

/** What to look for. */
export interface TraceQuery {
  /** Tags every trace must have, e.g. `{"session.id": "…"}` or `{"user.id": "<sha256>"}`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly sinceMs: number;
  /** Most traces to return (the newest are kept). */
  readonly limit: number;
  /** Search only these services; default every service Jaeger knows. */
  readonly services?: readonly string[];
}

/** Every trace found, with the services that were searched. */
export interface TraceQueryResult {
  readonly services: readonly string[];
  readonly traces: readonly TraceSummary[];
  /**
   * The traces as Jaeger answered them, merged by trace id: up to `limit` from each service
   * (Jaeger's own cap), so possibly more than the newest `limit` kept in `traces`, but not
   * every trace of a session that has more.
   */
  readonly found: readonly JaegerTrace[];
}

/**
 * Searches each service (Jaeger's search needs one) for traces with `query.tags`, merges the
 * answers by trace id and returns them oldest first.
 * @param signal aborts every request; the promise then rejects with the signal's reason.
 * @throws {JaegerError} when Jaeger cannot be asked or answers something unusable.
 */
export async function findTraces(jaeger: JaegerClient, query: TraceQuery, signal?: AbortSignal): Promise<TraceQueryResult> {
  const services = query.services ?? (await jaeger.services(signal)).filter((service) => service !== 'jaeger');
  const answers = await Promise.all(
    services.map((service) => jaeger.searchTraces({ service, tags: query.tags, sinceMs: query.sinceMs, limit: query.limit }, signal)),
  );
  const byId = new Map<string, JaegerTrace>();
  for (const trace of answers.flat()) {
    // A trace crossing services comes back from each; keep the most complete copy.
    const known = byId.get(trace.traceID);
    if (known === undefined || trace.spans.length > known.spans.length) byId.set(trace.traceID, trace);
  }
  const found = [...byId.values()];
  const traces = found
    .map((trace) => summarizeTrace(trace, (id) => jaeger.traceUrl(id)))
    .sort((a, b) => a.startTime.localeCompare(b.startTime))
    .slice(-query.limit);
  return { services, traces, found };
}
