/** The session context: one AsyncLocalStorage, its typed accessors and the Express middleware. */
export { SessionMapKey, TELEMETRY_KEY_BY_SESSION_KEY, type SessionValues } from './session-map-key.ts';
export { getByKey, setByKey } from './session-storage.ts';
export { runWithSession, type InitialSessionValues } from './run-with-session.ts';
export { isValidSessionId, newSessionId, SESSION_ID_PATTERN } from './session-id.ts';
export { deriveSessionId } from './derive-session-id.ts';
export { isValidUserId, USER_ID_PATTERN } from './user-id.ts';
export { sessionContext, type SessionContextOptions } from './session-middleware.ts';
