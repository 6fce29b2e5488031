import type { Span } from '@opentelemetry/api';

/** Reads the trace flags a log line shows for the span it was logged in. */
export type TraceFlagsReader = (span: Span) => number;

const ownFlags: TraceFlagsReader = (span) => span.spanContext().traceFlags;
let reader: TraceFlagsReader = ownFlags;

/**
 * Makes every logger's `trace_flags` come from `read` instead of the span's own flags: under
 * session sampling, which records a session's trace until its root span ends and decides then
 * (`SessionSampledSpanProcessor`), a span's own flag says "recorded", and a line must say
 * whether its trace is kept by its session's id at the time of the line. `undefined` goes
 * back to the span's own flags. Called by the telemetry when it starts.
 */
export function readTraceFlagsWith(read: TraceFlagsReader | undefined): void {
  reader = read ?? ownFlags;
}

/** The trace flags a log line written in `span` shows. */
export function traceFlagsOf(span: Span): number {
  return reader(span);
}
