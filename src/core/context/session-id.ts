import { randomUUID } from 'node:crypto';

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

/** A fresh random session id (a v4 UUID). */
export function newSessionId(): string {
  return randomUUID();
}
