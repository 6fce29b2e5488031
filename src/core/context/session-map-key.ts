import { ATTR_SESSION_ID, ATTR_SESSION_PREVIOUS_ID, ATTR_USER_ID } from './semconv.ts';

/**
 * The keys of the session store. A const object rather than a TypeScript `enum`, so the
 * file runs under Node's type stripping. Add a key here, to {@link SessionValues} and to
 * {@link SESSION_TELEMETRY} to carry more per-session data.
 */
export const SessionMapKey = {
  SESSION_ID: 'sessionId',
  USER_ID: 'userId',
  /** The session this one replaced; set by `rotateSession` (a login) only, read with `getByKey`. */
  PREVIOUS_SESSION_ID: 'previousSessionId',
} as const;

/** One of the {@link SessionMapKey} values. */
export type SessionMapKey = (typeof SessionMapKey)[keyof typeof SessionMapKey];

/** The keys code may set (`setByKey`): the link to a previous session is `rotateSession`'s alone. */
export type WritableSessionMapKey = Exclude<SessionMapKey, typeof SessionMapKey.PREVIOUS_SESSION_ID>;

/** The value type stored under each key. */
export interface SessionValues {
  sessionId: string;
  userId: string;
  previousSessionId: string;
}

/** How one session key leaves the store. */
export interface SessionTelemetry {
  /** Its name as a span attribute, a log field and a baggage entry. */
  readonly name: string;
  /**
   * Whether it travels in outgoing baggage: `always`; `identity`, only where the service
   * propagates user identity (PROPAGATE_USER_ID); `never`, spans and logs only. Baggage leaves
   * the process: choose deliberately.
   */
  readonly baggage: 'always' | 'identity' | 'never';
}

/**
 * The one mapping from session keys to telemetry, used by everything that mirrors the
 * session: the early spans of the store, the span processor, the log fields, the outgoing
 * baggage and `runWithSession`.
 */
export const SESSION_TELEMETRY: { readonly [K in SessionMapKey]: SessionTelemetry } = {
  [SessionMapKey.SESSION_ID]: { name: ATTR_SESSION_ID, baggage: 'always' },
  [SessionMapKey.USER_ID]: { name: ATTR_USER_ID, baggage: 'identity' },
  // The link between two sessions is recorded where the rotation happened (the login's spans,
  // its log lines and its session.start event); services downstream need only the current id.
  [SessionMapKey.PREVIOUS_SESSION_ID]: { name: ATTR_SESSION_PREVIOUS_ID, baggage: 'never' },
};

/** Every session key, in the order of {@link SESSION_TELEMETRY}. */
export const SESSION_KEYS = Object.keys(SESSION_TELEMETRY) as readonly SessionMapKey[];

/**
 * The telemetry name of every session key (`session.id`, `user.id`, `session.previous_id`):
 * the baggage entries a session owns, replaced (or, for `never` keys, dropped) wherever a
 * session writes baggage.
 */
export const SESSION_TELEMETRY_NAMES: readonly string[] = SESSION_KEYS.map((key) => SESSION_TELEMETRY[key].name);

/**
 * Calls `visit` with the telemetry mapping of each value `values` holds, in the order of
 * {@link SESSION_KEYS}. A loop over the few keys, allocation-free: it runs for every span.
 */
export function forEachSessionTelemetry(
  values: Partial<SessionValues>,
  visit: (telemetry: SessionTelemetry, value: string, key: SessionMapKey) => void,
): void {
  for (const key of SESSION_KEYS) {
    const value = values[key];
    if (value !== undefined) visit(SESSION_TELEMETRY[key], value, key);
  }
}
