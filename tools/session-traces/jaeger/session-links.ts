import { isValidSessionId } from '../../../src/core/index.ts';
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

/**
 * A span that names the session it replaced (`session.previous_id`): what the links between
 * sessions are read from. A lookup keeps these of every trace it finds, not the traces.
 */
export interface LinkSpan {
  /** Microseconds, as Jaeger gives a span's start. */
  readonly startTime: number;
  /** The span's `session.id`, when it is a valid session id. */
  readonly sessionId: string | undefined;
  readonly previousSessionId: string;
}

/** The tag `key` of `span` when it is a valid session id (the only kind a link is made of). */
const sessionTag = (span: JaegerSpan, key: string): string | undefined => {
  const value = span.tags.find((tag) => tag.key === key)?.value;
  return isValidSessionId(value) ? value : undefined;
};

/** The spans of `trace` whose `session.previous_id` is a valid session id (usually none), with their session. */
export function linkSpansOf(trace: JaegerTrace): LinkSpan[] {
  const spans: LinkSpan[] = [];
  for (const span of trace.spans) {
    const previousSessionId = sessionTag(span, 'session.previous_id');
    if (previousSessionId !== undefined) spans.push({ startTime: span.startTime, sessionId: sessionTag(span, 'session.id'), previousSessionId });
  }
  return spans;
}

/** `spans`, oldest first. */
const byStart = (spans: readonly LinkSpan[]): LinkSpan[] => [...spans].sort((a, b) => a.startTime - b.startTime);

/**
 * The session `sessionId` replaced: the `session.previous_id` of its earliest span that has
 * one, among `spans` (those of the session's own traces).
 */
export function previousSessionIn(spans: readonly LinkSpan[], sessionId: string): string | null {
  for (const span of byStart(spans)) {
    if (span.sessionId === sessionId && span.previousSessionId !== sessionId) return span.previousSessionId;
  }
  return null;
}

/**
 * The sessions that replaced `sessionId`: the distinct `session.id` of `spans` (those of the
 * traces found by `session.previous_id`) whose `session.previous_id` is `sessionId`, in the
 * order of their earliest span.
 */
export function nextSessionsIn(spans: readonly LinkSpan[], sessionId: string): string[] {
  const next: string[] = [];
  for (const { sessionId: id, previousSessionId } of byStart(spans)) {
    if (previousSessionId === sessionId && id !== undefined && id !== sessionId && !next.includes(id)) next.push(id);
  }
  return next;
}
