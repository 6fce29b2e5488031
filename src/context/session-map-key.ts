import { ATTR_SESSION_ID, ATTR_USER_ID } from '../telemetry/semconv.ts';

/**
 * The keys of the session store. A const object rather than a TypeScript `enum`, so the
 * file runs under Node's type stripping. Add a key here (and to {@link SessionValues}) to
 * carry more per-session data.
 */
export const SessionMapKey = {
  SESSION_ID: 'sessionId',
  USER_ID: 'userId',
} as const;

/** One of the {@link SessionMapKey} values. */
export type SessionMapKey = (typeof SessionMapKey)[keyof typeof SessionMapKey];

/** The value type stored under each key. */
export interface SessionValues {
  sessionId: string;
  userId: string;
}

/**
 * The span attribute and baggage key each session key is mirrored to.
 * A key missing here stays inside the process.
 */
export const TELEMETRY_KEY_BY_SESSION_KEY: Readonly<Partial<Record<SessionMapKey, string>>> = {
  [SessionMapKey.SESSION_ID]: ATTR_SESSION_ID,
  [SessionMapKey.USER_ID]: ATTR_USER_ID,
};
