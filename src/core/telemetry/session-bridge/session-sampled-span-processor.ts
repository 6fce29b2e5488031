import { diag, isSpanContextValid, trace, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { currentSessionStore } from '../../context/index.ts';
import { joinSessionTrace, SessionTrace, sessionTraceOf } from './session-trace.ts';
import { sessionSourceOf } from './session-source.ts';

/** Options of {@link SessionSampledSpanProcessor}. */
export interface SessionSampledSpanProcessorOptions {
  /** The share of sessions traced, 0 to 1. */
  readonly ratio: number;
  /**
   * Whether a span whose parent is remote starts a trace decided here: at an untrusted edge
   * (`EdgeSampler`), where a caller's sampled flag decides nothing. Behind the edge a service
   * follows its caller's decision, which that caller took by the same rule.
   */
  readonly decidesRemoteParents: boolean;
  /** The exporting processors: they get the spans of kept traces, and only those. */
  readonly next: readonly SpanProcessor[];
  /**
   * Most spans held at once, across traces, waiting for their root span to end; past it, a
   * span is decided when it ends, by its session's id then. Default 4,096.
   */
  readonly maxHeldSpans?: number;
}

/**
 * The half of session sampling that decides (the other is `SessionRatioSampler`, which
 * records every trace that starts in a session): when the root span of such a trace ends,
 * the trace is exported whole if its session is traced ({@link isSessionSampled} on the id the
 * session has then) and dropped whole otherwise.
 *
 * So the session a request ends in decides it, wherever its id was decided: by the headers,
 * by `setByKey(SessionMapKey.SESSION_ID, …)` or `rotateSession` in a handler. Spans of the
 * trace that end before its root are held until then; spans that end after it (work a
 * request left running) are decided at their own end, by the same rule. Spans of traces
 * decided when they started (outside any session, or following a caller) pass through.
 *
 * A root span in a session that `runWithSession` started apart from the enclosing trace
 * (`SessionStore.startedFrom`) gets a link to the span that was active there.
 */
export class SessionSampledSpanProcessor implements SpanProcessor {
  readonly #ratio: number;
  readonly #decidesRemoteParents: boolean;
  readonly #next: readonly SpanProcessor[];
  readonly #maxHeldSpans: number;
  /** Traces holding spans, for shutdown: a trace leaves when its root ends. */
  readonly #holding = new Set<SessionTrace>();
  #heldSpans = 0;

  constructor(options: SessionSampledSpanProcessorOptions) {
    this.#ratio = options.ratio;
    this.#decidesRemoteParents = options.decidesRemoteParents;
    this.#next = options.next;
    this.#maxHeldSpans = options.maxHeldSpans ?? 4096;
  }

  onStart(span: Span, parentContext: Context): void {
    const parent = trace.getSpan(parentContext);
    const parentSpanContext = parent?.spanContext();
    const hasParent = parent !== undefined && parentSpanContext !== undefined && isSpanContextValid(parentSpanContext);
    if (hasParent && parentSpanContext.isRemote !== true) {
      // A local child is in its parent's trace: decided with it.
      const sessionTrace = sessionTraceOf(parent);
      if (sessionTrace !== undefined) joinSessionTrace(span, sessionTrace);
    } else if ((!hasParent || this.#decidesRemoteParents) && span.isRecording()) {
      const source = sessionSourceOf(parentContext);
      if (source !== undefined) joinSessionTrace(span, new SessionTrace(source, span.spanContext().spanId, this.#ratio));
      const startedFrom = hasParent ? undefined : currentSessionStore()?.startedFrom;
      if (startedFrom !== undefined) span.addLink({ context: startedFrom });
    }
    for (const processor of this.#next) processor.onStart(span, parentContext);
  }

  onEnd(span: ReadableSpan): void {
    const sessionTrace = sessionTraceOf(span);
    if (sessionTrace === undefined) {
      this.#forward(span);
      return;
    }
    if (sessionTrace.rootSpanId === span.spanContext().spanId) {
      const kept = sessionTrace.keptNow();
      this.#release(sessionTrace, kept);
      if (kept) this.#forward(span);
      return;
    }
    const { held } = sessionTrace;
    if (held !== undefined && this.#heldSpans < this.#maxHeldSpans) {
      held.push(span);
      this.#heldSpans++;
      this.#holding.add(sessionTrace);
      return;
    }
    if (held !== undefined) this.#decidedEarly();
    if (sessionTrace.keptNow()) this.#forward(span);
  }

  forceFlush(): Promise<void> {
    // Held spans wait for their root span: the trace is not decided yet.
    return Promise.all(this.#next.map((processor) => processor.forceFlush())).then(noop);
  }

  async shutdown(): Promise<void> {
    // Traces whose root span never ended are decided now, by their session's id now.
    if (this.#holding.size > 0) diag.debug(`session sampling: deciding ${this.#heldSpans} held spans at shutdown`);
    for (const sessionTrace of [...this.#holding]) this.#release(sessionTrace, sessionTrace.keptNow());
    await Promise.all(this.#next.map((processor) => processor.shutdown()));
  }

  /** Exports the spans the trace holds if `kept`, drops them if not; it holds none from now on. */
  #release(sessionTrace: SessionTrace, kept: boolean): void {
    const { held } = sessionTrace;
    sessionTrace.held = undefined;
    if (held === undefined || held.length === 0) return;
    this.#heldSpans -= held.length;
    this.#holding.delete(sessionTrace);
    if (kept) for (const span of held) this.#forward(span);
  }

  /**
   * Says that a span was decided at its end for want of room to hold it. One message, always
   * the same: the diagnostic logger writes it at most once per 30 s, with how many times it
   * was held back (`repeated`).
   */
  #decidedEarly(): void {
    diag.warn(
      `session sampling: ${this.#maxHeldSpans} spans are waiting for their traces' root spans to end; a span ending now is decided at once, by its session's id now`,
    );
  }

  #forward(span: ReadableSpan): void {
    for (const processor of this.#next) processor.onEnd(span);
  }
}

function noop(): void {}
