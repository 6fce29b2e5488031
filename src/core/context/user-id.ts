/**
 * What a user id may look like: 1 to 128 characters of `[A-Za-z0-9._:@-]`. It is written to
 * logs, span attributes and baggage, so nothing that could break out of those formats.
 */
export const USER_ID_PATTERN = /^[A-Za-z0-9._:@-]{1,128}$/;

/** True when `value` is a string that {@link USER_ID_PATTERN} accepts. */
export function isValidUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID_PATTERN.test(value);
}
