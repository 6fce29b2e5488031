import { isSpanContextValid, trace, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { currentSessionStore, forEachSessionTelemetry } from '../../context/index.ts';

/**
 * Adds the current session's values (`session.id`, `user.id`, `session.previous_id` after a
 * rotation) to every span at its start.
 *
 * Spans that start before the session exists (the HTTP server span) are tagged by the
 * session middleware instead; see `SessionStore.earlySpans`.
 *
 * A root span in a session that `runWithSession` started inside another trace gets a link to
 * the span that was active there (`SessionStore.startedFrom`): the session's traces are its
 * own, and the link leads back to the work that started it.
 */
export class SessionSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const store = currentSessionStore();
    if (store === undefined) return;
    forEachSessionTelemetry(store.values, ({ name }, value) => {
      span.setAttribute(name, value);
    });
    if (store.startedFrom !== undefined && !hasParent(parentContext)) span.addLink({ context: store.startedFrom });
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

function hasParent(parentContext: Context): boolean {
  const parent = trace.getSpanContext(parentContext);
  return parent !== undefined && isSpanContextValid(parent);
}
