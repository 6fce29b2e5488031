import { refusedCharacter } from './refused-character.ts';
/**
 * The longest user id: OpenID Connect's limit for the `sub` claim ("MUST NOT exceed 255 ASCII
 * characters"), which is what authentication usually hands to `setByKey`.
 */
export const USER_ID_MAX_LENGTH = 255;

/**
 * What a user id may look like: 1 to {@link USER_ID_MAX_LENGTH} printable ASCII characters
 * (`!` to `~`), so what identity providers issue is accepted: `auth0|5f8a9c0e12`,
 * `google-oauth2|1089…`, `alice+shop@example.com`, UUIDs, numeric ids.
 *
 * Why no more: a user id is written to log lines (the readable format too), span attributes,
 * W3C baggage and the lookup tool's arguments. Spaces and control characters (CR, LF, tab,
 * DEL) would split or forge a readable log line and are trimmed by baggage parsers; non-ASCII
 * letters bring invisible and look-alike characters (zero-width, bidirectional overrides) into
 * what people read and search. OpenID Connect `sub` values are ASCII. In baggage the value is
 * percent-encoded (W3C baggage requires it for `"`, `,`, `;`, `\` and `%`) and decoded on the
 * way in, so every accepted id arrives downstream unchanged.
 */
export const USER_ID_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** {@link USER_ID_PATTERN} in words, for error messages and 400 answers. */
export const USER_ID_RULE = `1 to ${USER_ID_MAX_LENGTH} printable ASCII characters, without spaces`;

/**
 * True when `value` is a string that {@link USER_ID_PATTERN} accepts: the one rule of the
 * service that sets a user id (`setByKey`), of a trusted service that adopts one from
 * baggage, and of `runWithSession`.
 */
export function isValidUserId(value: unknown): value is string {
  return typeof value === 'string' && USER_ID_PATTERN.test(value);
}

/**
 * Throws unless `value` is a valid user id ({@link isValidUserId}).
 *
 * The message says what is wrong (its type, its length, or the position and code of the first
 * refused character) and never contains the value itself: it may be anything a client sent,
 * of any size, and error messages end up in logs.
 * @param what names the caller in the message, e.g. `setByKey(SessionMapKey.USER_ID, …)`.
 * @throws {TypeError} when `value` is not a string.
 * @throws {RangeError} when it is a string the rule refuses.
 */
export function assertValidUserId(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`${what}: a user id must be a string, got ${value === null ? 'null' : typeof value}`);
  }
  if (USER_ID_PATTERN.test(value)) return;
  const problem =
    value.length === 0
      ? 'it is empty'
      : value.length > USER_ID_MAX_LENGTH
        ? `it is ${value.length} characters long`
        : refusedCharacter(value, /^[\x21-\x7e]$/);
  throw new RangeError(`${what}: not a valid user id (${problem}); a user id is ${USER_ID_RULE}`);
}
