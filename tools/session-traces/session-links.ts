import { isValidSessionId } from '../../src/core/index.ts';
import type { JaegerSpan, JaegerTrace } from './jaeger-answer.ts';

/**
 * The sessions next to one session: a login (`rotateSession`) or the browser (idle timeout,
 * maximum duration) replaces a session by a new one, and every span of the new one that
 * records the change carries `session.previous_id` next to its `session.id`.
 */
export interface SessionLinks {
  /** The session this one replaced; `null` when no span of it names one. */
  readonly previousSessionId: string | null;
  /** The sessions that replaced this one, oldest first (usually one). */
  readonly nextSessionIds: readonly string[];
}

/** The tag `key` of `span` when it is a valid session id (the only kind a link is made of). */
const sessionTag = (span: JaegerSpan, key: string): string | undefined => {
  const value = span.tags.find((tag) => tag.key === key)?.value;
  return isValidSessionId(value) ? value : undefined;
};

/** Every span of `traces`, oldest first. */
const spansByStart = (traces: readonly JaegerTrace[]): JaegerSpan[] => traces.flatMap((trace) => trace.spans).sort((a, b) => a.startTime - b.startTime);

/**
 * The session `sessionId` replaced: the `session.previous_id` of its earliest span that has
 * one, among `traces` (the session's own).
 */
export function previousSessionIn(traces: readonly JaegerTrace[], sessionId: string): string | null {
  for (const span of spansByStart(traces)) {
    const previous = sessionTag(span, 'session.previous_id');
    if (sessionTag(span, 'session.id') === sessionId && previous !== undefined && previous !== sessionId) return previous;
  }
  return null;
}

/**
 * The sessions that replaced `sessionId`: the distinct `session.id` of the spans of `traces`
 * (found by `session.previous_id`) whose `session.previous_id` is `sessionId`, in the order
 * of their earliest span.
 */
export function nextSessionsIn(traces: readonly JaegerTrace[], sessionId: string): string[] {
  const next: string[] = [];
  for (const span of spansByStart(traces)) {
    const id = sessionTag(span, 'session.id');
    if (sessionTag(span, 'session.previous_id') === sessionId && id !== undefined && id !== sessionId && !next.includes(id)) next.push(id);
  }
  return next;
}
