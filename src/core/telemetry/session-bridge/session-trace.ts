import { TraceFlags, type Span } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { isSessionSampled } from './session-ratio-sampler.ts';
import { sessionIdOf, type SessionSource } from './session-source.ts';

/**
 * A trace, as far as it runs in this process, whose fate its session decides when its root
 * span ends (session sampling): recorded until then, then exported whole or dropped whole.
 * Its spans, from the root on, are registered with {@link joinSessionTrace}.
 */
export class SessionTrace {
  /** Where the session's id is read at the decision. */
  readonly source: SessionSource;
  /** The span id of the span that started the trace in this process: its end decides. */
  readonly rootSpanId: string;
  /** The share of sessions traced. */
  readonly ratio: number;
  /** Spans of the trace that ended before its root, waiting for the decision; `undefined` once taken. */
  held: ReadableSpan[] | undefined = [];
  // The last decision, by id: asked at every log line and call of the trace, the id rarely changes.
  #lastSessionId: string | undefined;
  #lastKept = false;

  constructor(source: SessionSource, rootSpanId: string, ratio: number) {
    this.source = source;
    this.rootSpanId = rootSpanId;
    this.ratio = ratio;
  }

  /** Whether the trace is kept by the id its session has now ({@link isSessionSampled}). */
  keptNow(): boolean {
    const sessionId = sessionIdOf(this.source);
    if (sessionId === undefined) return false;
    if (sessionId !== this.#lastSessionId) {
      this.#lastSessionId = sessionId;
      this.#lastKept = isSessionSampled(sessionId, this.ratio);
    }
    return this.#lastKept;
  }
}

// Weak: a span's entry goes with the span. Spans are the SDK's objects, seen as `Span` when
// they start and as `ReadableSpan` when they end.
const TRACE_OF_SPAN = new WeakMap<object, SessionTrace>();

/** Registers `span` as part of `trace`. */
export function joinSessionTrace(span: object, trace: SessionTrace): void {
  TRACE_OF_SPAN.set(span, trace);
}

/**
 * The {@link SessionTrace} `span` belongs to; `undefined` when its trace was decided when it
 * started, as every trace is outside session sampling.
 */
export function sessionTraceOf(span: object): SessionTrace | undefined {
  return TRACE_OF_SPAN.get(span);
}

/**
 * The trace flags that tell the truth about `span`'s trace: its own, except that for a
 * {@link SessionTrace} the sampled flag says whether the trace is kept by its session's id
 * now (its own flag says only that it is recorded until the decision). What goes out in
 * `traceparent` and what a log line shows.
 */
export function decidedTraceFlags(span: Span): number {
  const { traceFlags } = span.spanContext();
  const sessionTrace = TRACE_OF_SPAN.get(span);
  if (sessionTrace === undefined) return traceFlags;
  return sessionTrace.keptNow() ? traceFlags | TraceFlags.SAMPLED : traceFlags & ~TraceFlags.SAMPLED;
}
