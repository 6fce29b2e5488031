import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import type { BrowserSession } from './browser-session.ts';

/**
 * Puts `session.id` (and `session.previous_id` when the session replaced another) on every
 * span at its start, and counts the start as activity of the session. Put it before the
 * exporting processor. Spans of sessions not sampled never reach a processor; their fetches
 * count as activity through the session fetch.
 */
export class SessionSpanProcessor implements SpanProcessor {
  readonly #recordActivity: () => BrowserSession;

  /** @param recordActivity records activity and returns the current session. */
  constructor(recordActivity: () => BrowserSession) {
    this.#recordActivity = recordActivity;
  }

  onStart(span: Span, _parentContext: Context): void {
    const session = this.#recordActivity();
    span.setAttribute('session.id', session.id);
    if (session.previousId !== undefined) span.setAttribute('session.previous_id', session.previousId);
  }

  onEnd(_span: ReadableSpan): void {
    // Attributes are final at start.
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
