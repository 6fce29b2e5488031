import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { currentSessionStore, forEachSessionTelemetry } from '../../context/index.ts';

/**
 * Adds the current session's values (`session.id`, `user.id`, `session.previous_id` after a
 * rotation) to every span at its start.
 *
 * Spans that start before the session exists (the HTTP server span) are tagged by the
 * session middleware instead; see `SessionStore.earlySpans`.
 */
export class SessionSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    const values = currentSessionStore()?.values;
    if (values === undefined) return;
    forEachSessionTelemetry(values, ({ name }, value) => {
      span.setAttribute(name, value);
    });
  }

  onEnd(_span: ReadableSpan): void {
    // Attributes are final at start; nothing to do when a span ends.
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
