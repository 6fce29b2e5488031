import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { currentSessionStore } from '../context/session-storage.ts';
import { TELEMETRY_KEY_BY_SESSION_KEY, type SessionMapKey } from '../context/session-map-key.ts';

/**
 * Adds the current session's values (`session.id`, `user.id`) to every span at its start.
 *
 * Spans that start before the session exists (the HTTP server span) are tagged by the
 * session middleware instead; see `SessionStore.earlySpans`.
 */
export class SessionSpanProcessor implements SpanProcessor {
  onStart(span: Span, _parentContext: Context): void {
    const values = currentSessionStore()?.values;
    if (values === undefined) return;
    for (const key in values) {
      const attribute = TELEMETRY_KEY_BY_SESSION_KEY[key as SessionMapKey];
      const value = values[key as SessionMapKey];
      if (attribute !== undefined && value !== undefined) span.setAttribute(attribute, value);
    }
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
