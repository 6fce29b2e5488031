import type { JaegerSpan, JaegerTrace } from './jaeger-answer.ts';

/**
 * One trace, summarized for a person: the row of the table and the element of the `--json`
 * output (its field names are stable, see docs/session-lookup.md).
 */
export interface TraceSummary {
  readonly traceId: string;
  /** ISO 8601 start of the entry span. */
  readonly startTime: string;
  readonly durationMs: number;
  /** Service of the entry (root) span. */
  readonly entryService: string;
  /** Operation of the entry span, e.g. `GET /api/downstream`. */
  readonly operation: string;
  /** HTTP status of the entry span, if it is an HTTP server span. */
  readonly httpStatus: number | null;
  readonly spanCount: number;
  /** Every service with a span in the trace, sorted. */
  readonly services: readonly string[];
  /** True when any span reports an error. */
  readonly error: boolean;
  /** `user.id` as stored (hashed by the collector), if any span has one. */
  readonly userId: string | null;
  /** Link to the trace in the Jaeger UI. */
  readonly url: string;
}

const tag = (span: JaegerSpan, key: string): unknown => span.tags.find((candidate) => candidate.key === key)?.value;

const statusOf = (span: JaegerSpan): unknown => tag(span, 'http.response.status_code') ?? tag(span, 'http.status_code');

function isError(span: JaegerSpan): boolean {
  return tag(span, 'error') === true || tag(span, 'otel.status_code') === 'ERROR' || Number(statusOf(span)) >= 500;
}

/**
 * Summarizes one Jaeger trace; `url` builds its UI link. The entry is the earliest span whose
 * parent is not in the trace, else the earliest span. Values are Jaeger's, unescaped: the
 * formatters make them safe to print.
 *
 * Loops only, no recursion and no `Math.max(...spans)`: a trace of 130,000 spans would
 * overflow the stack.
 */
export function summarizeTrace(trace: JaegerTrace, url: (traceId: string) => string): TraceSummary {
  const ids = new Set<string>();
  for (const span of trace.spans) ids.add(span.spanID);
  const serviceOf = (span: JaegerSpan): string => trace.processes[span.processID]?.serviceName ?? 'unknown';

  let root: JaegerSpan | undefined;
  let earliest: JaegerSpan | undefined;
  let end = Number.NEGATIVE_INFINITY;
  let error = false;
  let userId: string | null = null;
  const services = new Set<string>();
  for (const span of trace.spans) {
    if (earliest === undefined || span.startTime < earliest.startTime) earliest = span;
    const hasParentHere = (span.references ?? []).some((reference) => ids.has(reference.spanID));
    if (!hasParentHere && (root === undefined || span.startTime < root.startTime)) root = span;
    end = Math.max(end, span.startTime + span.duration);
    services.add(serviceOf(span));
    if (!error && isError(span)) error = true;
    if (userId === null) {
      const value = tag(span, 'user.id');
      if (typeof value === 'string') userId = value;
    }
  }
  const entry = root ?? earliest;
  const status = entry === undefined ? undefined : Number(statusOf(entry) ?? Number.NaN);
  return {
    traceId: trace.traceID,
    startTime: new Date((entry?.startTime ?? 0) / 1000).toISOString(),
    durationMs: entry === undefined ? 0 : Math.round((end - entry.startTime) / 100) / 10,
    entryService: entry === undefined ? 'unknown' : serviceOf(entry),
    operation: entry?.operationName ?? 'unknown',
    httpStatus: status !== undefined && Number.isInteger(status) ? status : null,
    spanCount: trace.spans.length,
    services: [...services].sort(),
    error,
    userId,
    url: url(trace.traceID),
  };
}
