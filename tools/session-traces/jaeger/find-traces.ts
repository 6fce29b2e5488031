import type { JaegerTrace } from './jaeger-answer.ts';
import type { JaegerClient } from './jaeger-client.ts';
import { requestsOf, type TraceRequests } from './served-requests.ts';
import { linkSpansOf, type LinkSpan } from './session-links.ts';
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
   * The spans naming a previous session (`session.previous_id`) of every trace found, merged
   * by trace id: of up to `limit` traces from each service (Jaeger's own cap), so possibly
   * more than the newest `limit` kept in `traces`, but not every trace of a session that has
   * more.
   */
  readonly links: readonly LinkSpan[];
  /** What the session summary reads of each trace in `traces` (its server spans and time), in the same order. */
  readonly requests: readonly TraceRequests[];
}

/** What is kept of a trace found: its summary, its link spans and its served requests, not its spans. */
interface FoundTrace {
  readonly summary: TraceSummary;
  readonly links: readonly LinkSpan[];
  readonly requests: TraceRequests;
}

/**
 * Searches each service (Jaeger's search needs one) for traces with `query.tags`, merges the
 * answers by trace id and returns them oldest first. The searches run as many at once as the
 * client allows (`maxConcurrentRequests`); each answer is reduced to its summaries as it
 * arrives, so what is held grows with the traces found, not with the size of the answers.
 * @param signal aborts every request; the promise then rejects with the signal's reason.
 * @throws {JaegerError} when Jaeger cannot be asked or answers something unusable; the
 * searches not yet done are then abandoned.
 */
export async function findTraces(jaeger: JaegerClient, query: TraceQuery, signal?: AbortSignal): Promise<TraceQueryResult> {
  const services = query.services ?? (await jaeger.services(signal)).filter((service) => service !== 'jaeger');
  const byId = new Map<string, FoundTrace>();
  const keep = (trace: JaegerTrace): void => {
    // A trace crossing services comes back from each; keep the most complete copy.
    const known = byId.get(trace.traceID);
    if (known === undefined || trace.spans.length > known.summary.spanCount) {
      byId.set(trace.traceID, { summary: summarizeTrace(trace, (id) => jaeger.traceUrl(id)), links: linkSpansOf(trace), requests: requestsOf(trace) });
    }
  };
  // Aborted on the first failure, so that the searches still waiting for their turn are not sent.
  const failed = new AbortController();
  const searching = signal === undefined ? failed.signal : AbortSignal.any([signal, failed.signal]);
  try {
    await Promise.all(
      services.map(async (service) => {
        const answer = await jaeger.searchTraces({ service, tags: query.tags, sinceMs: query.sinceMs, limit: query.limit }, searching);
        for (const trace of answer) keep(trace);
      }),
    );
  } catch (error) {
    failed.abort(error);
    throw error;
  }
  const found = [...byId.values()];
  const kept = [...found].sort((a, b) => a.summary.startTime.localeCompare(b.summary.startTime)).slice(-query.limit);
  return { services, traces: kept.map((trace) => trace.summary), links: found.flatMap((trace) => trace.links), requests: kept.map((trace) => trace.requests) };
}
