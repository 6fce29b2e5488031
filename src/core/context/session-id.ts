import { randomUUID } from 'node:crypto';
import { refusedCharacter } from './refused-character.ts';

/**
 * What an incoming session id may look like: 8 to 128 characters of `[A-Za-z0-9._:-]`.
 * No `=`, `,` or `;` (baggage delimiters), no whitespace or control characters (log and
 * header injection), nothing outside ASCII.
 */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** True when `value` is a string that {@link SESSION_ID_PATTERN} accepts. */
export function isValidSessionId(value: unknown): value is string {
  return typeof value === 'string' && SESSION_ID_PATTERN.test(value);
}

/** {@link SESSION_ID_PATTERN} in words, for error messages. */
export const SESSION_ID_RULE = '8 to 128 characters of A-Z a-z 0-9 . _ : -';

/**
 * Throws unless `value` is a valid session id ({@link isValidSessionId}). The message says
 * what is wrong (its type, its length, or the position and code of the first refused
 * character), never the value itself.
 * @param what names the caller in the message, e.g. `setByKey(SessionMapKey.SESSION_ID, …)`.
 * @throws {TypeError} when `value` is not a string.
 * @throws {RangeError} when it is a string the rule refuses.
 */
export function assertValidSessionId(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`${what}: a session id must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  if (SESSION_ID_PATTERN.test(value)) return;
  const problem = value.length < 8 || value.length > 128 ? `it is ${value.length} characters long` : refusedCharacter(value, /^[A-Za-z0-9._:-]$/);
  throw new RangeError(`${what}: not a valid session id (${problem}); a session id is ${SESSION_ID_RULE}`);
}


/** A fresh random session id (a v4 UUID). */
export function newSessionId(): string {
  return randomUUID();
}

/** The request and response header carrying the session id. */
export const SESSION_ID_HEADER = 'x-session-id';

/**
 * The session id a request gets: the `x-session-id` header's if valid, else the `session.id`
 * of its (admitted) baggage if valid, else a new one. Invalid values are dropped unseen.
 *
 * Decided once per request, where its headers are extracted (the session propagator), so
 * that the sampler of the request's first span and the session middleware use the same id;
 * the middleware decides by the same rule when nothing was extracted (SDK disabled).
 */
export function chooseSessionId(header: unknown, fromBaggage: unknown): string {
  if (isValidSessionId(header)) return header;
  return isValidSessionId(fromBaggage) ? fromBaggage : newSessionId();
}
