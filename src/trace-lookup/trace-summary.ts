import type { JaegerSpan, JaegerTrace } from './jaeger-client.ts';

/**
 * One trace, summarized for a person: the row of the table and the element of the `--json`
 * output (its field names are stable, see README).
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

/** The span whose parent is not in the trace (the request's entry), else the earliest. */
function entrySpan(trace: JaegerTrace): JaegerSpan | undefined {
  const ids = new Set(trace.spans.map((span) => span.spanID));
  const roots = trace.spans.filter((span) => !(span.references ?? []).some((reference) => ids.has(reference.spanID)));
  const candidates = roots.length > 0 ? roots : trace.spans;
  return candidates.reduce<JaegerSpan | undefined>((earliest, span) => (earliest === undefined || span.startTime < earliest.startTime ? span : earliest), undefined);
}

function isError(span: JaegerSpan): boolean {
  const status = Number(tag(span, 'http.response.status_code') ?? tag(span, 'http.status_code'));
  return tag(span, 'error') === true || tag(span, 'otel.status_code') === 'ERROR' || status >= 500;
}

/** Summarizes one Jaeger trace; `url` builds its UI link. */
export function summarizeTrace(trace: JaegerTrace, url: (traceId: string) => string): TraceSummary {
  const entry = entrySpan(trace);
  const serviceOf = (span: JaegerSpan): string => trace.processes[span.processID]?.serviceName ?? 'unknown';
  const end = Math.max(...trace.spans.map((span) => span.startTime + span.duration));
  const status = entry === undefined ? undefined : (tag(entry, 'http.response.status_code') ?? tag(entry, 'http.status_code'));
  const userId = trace.spans.map((span) => tag(span, 'user.id')).find((value) => typeof value === 'string');
  return {
    traceId: trace.traceID,
    startTime: new Date((entry?.startTime ?? 0) / 1000).toISOString(),
    durationMs: entry === undefined ? 0 : Math.round((end - entry.startTime) / 100) / 10,
    entryService: entry === undefined ? 'unknown' : serviceOf(entry),
    operation: entry?.operationName ?? 'unknown',
    httpStatus: status === undefined ? null : Number(status),
    spanCount: trace.spans.length,
    services: [...new Set(trace.spans.map(serviceOf))].sort(),
    error: trace.spans.some(isError),
    userId: typeof userId === 'string' ? userId : null,
    url: url(trace.traceID),
  };
}
