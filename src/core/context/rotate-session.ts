import { emitSessionReplaced } from './session-events.ts';
import { newSessionId, SESSION_ID_HEADER } from './session-id.ts';
import { SessionMapKey } from './session-map-key.ts';
import { currentSessionStore, writeSessionValue } from './session-storage.ts';

/**
 * Starts a new session in place of the current one: call it where a user signs in (or out,
 * or gains privileges), before answering. Whoever knew the old id, or chose it, cannot
 * follow the user into the new one.
 *
 * - A new random id becomes the session's id for the rest of the request: the spans started
 *   from now on, the request's server span, its log lines, the baggage of its outgoing calls
 *   and the `x-session-id` response header, which a client (the browser module) adopts.
 * - The old id is kept as `session.previous_id` on the same telemetry, and a `session.end`
 *   (old id) and a `session.start` (new id, `session.previous_id` old id) event are emitted:
 *   `npm run trace` follows that link from one session to the next.
 *
 * Nothing is remembered between requests: every instance of a service behind a load
 * balancer answers the new id's requests alike. A request that merely carries a signed-in
 * user's credentials does not call it: only the moment of signing in does.
 *
 * @returns the new session id.
 * @throws {Error} outside any session, or once the response's headers were sent (the new id
 * could no longer reach the client): both are mistakes in the calling code.
 */
export function rotateSession(): string {
  const store = currentSessionStore();
  if (store === undefined) throw new Error('rotateSession() called outside any session: call it while handling a request, or inside runWithSession');
  const { response } = store;
  if (response?.headersSent === true) {
    throw new Error('rotateSession() called after the response headers were sent: call it before answering, so that the client gets the new session id');
  }
  const previousId = store.values.sessionId;
  const nextId = newSessionId();
  if (previousId !== undefined) writeSessionValue(store, SessionMapKey.PREVIOUS_SESSION_ID, previousId);
  writeSessionValue(store, SessionMapKey.SESSION_ID, nextId);
  response?.setHeader(SESSION_ID_HEADER, nextId);
  if (previousId !== undefined) emitSessionReplaced(previousId, nextId);
  return nextId;
}
