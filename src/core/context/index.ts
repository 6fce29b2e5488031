/** The session context: one AsyncLocalStorage, its typed accessors and the Express middleware. */
export {
  forEachSessionTelemetry,
  SESSION_KEYS,
  SESSION_TELEMETRY,
  SESSION_TELEMETRY_NAMES,
  SessionMapKey,
  type SessionTelemetry,
  type SessionValues,
  type WritableSessionMapKey,
} from './session-map-key.ts';
export { ATTR_SESSION_ID, ATTR_SESSION_PREVIOUS_ID, ATTR_USER_ID } from './semconv.ts';
export {
  currentSessionStore,
  getByKey,
  runInSessionStore,
  runOutsideSession,
  sessionSlotOf,
  setByKey,
  withoutSessionSlot,
  withSessionSlot,
  type SessionResponse,
  type SessionSlot,
  type SessionStore,
} from './session-storage.ts';
export { runWithSession, startSessionTracesApart, type InitialSessionValues } from './run-with-session.ts';
export { chooseSessionId, isValidSessionId, newSessionId, SESSION_ID_HEADER, SESSION_ID_PATTERN } from './session-id.ts';
export { deriveSessionId } from './derive-session-id.ts';
export { isValidUserId, USER_ID_PATTERN, USER_ID_RULE } from './user-id.ts';
export { rotateSession } from './rotate-session.ts';
export { sessionContext, type SessionContextOptions } from './session-middleware.ts';
