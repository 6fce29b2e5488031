/**
 * What the server accepts as a session id (the core's `SESSION_ID_PATTERN`, repeated here
 * because browser code does not import the core): 8 to 128 characters of `[A-Za-z0-9._:-]`.
 * A stored or answered id that does not match is never used.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** True when `value` is a string that {@link SESSION_ID_PATTERN} accepts. */
export function isValidSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID_PATTERN.test(value);
}

/**
 * One browser session as the semantic conventions define it (`session.id`,
 * `session.previous_id`). Shaped like `@opentelemetry/web-common`'s `Session`, plus the link
 * to the session it replaced and the last activity the expiry is measured from.
 */
export interface BrowserSession {
  /** `session.id`: a `crypto.randomUUID()`, or an id adopted from the server. */
  readonly id: string;
  /** When the session started, in milliseconds since the epoch. */
  readonly startTimestamp: number;
  /** The last activity seen (a fetch, a span start), in milliseconds since the epoch. */
  readonly lastActivityTimestamp: number;
  /** `session.previous_id`: the session this one replaced, if it replaced one. */
  readonly previousId: string | undefined;
}

/**
 * Why the current session changed:
 * - `new`: there was no usable session (first visit, nothing or an invalid value stored);
 * - `idle`: the previous one saw no activity for the idle timeout;
 * - `maximum-duration`: the previous one reached its maximum duration;
 * - `adopted`: the server answered another id (`x-session-id`, as after a login) or code
 *   called `adoptSessionId`;
 * - `another-page`: another page of this browser (same storage) changed it; that page
 *   emitted the session events.
 */
export type SessionChangeReason = 'new' | 'idle' | 'maximum-duration' | 'adopted' | 'another-page';

/** A change of the current session, as session listeners receive it. */
export interface SessionChange {
  readonly reason: SessionChangeReason;
  /** The session now current. */
  readonly current: BrowserSession;
  /** The session it replaced, if any (its `id` is `current.previousId`, except for `another-page`). */
  readonly ended: BrowserSession | undefined;
  /**
   * When `ended` ended, in milliseconds since the epoch: its last activity plus the idle
   * timeout, its start plus the maximum duration, or the moment of the change.
   */
  readonly endTimestamp: number | undefined;
}
