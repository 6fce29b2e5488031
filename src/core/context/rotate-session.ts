import { emitSessionReplaced } from './session-events.ts';
import { newSessionId, SESSION_ID_HEADER } from './session-id.ts';
import { SessionMapKey } from './session-map-key.ts';
import { currentSessionStore, writeSessionValue } from './session-storage.ts';

/**
 * Starts a new session in place of the current one: call it where a user signs in (or gains
 * privileges), before answering, in the service that answers the client (the edge). Whoever
 * knew the old id, or chose it, cannot follow the user into the new one.
 *
 * - A new random id becomes the session's id for the rest of the request: the spans started
 *   from now on, the request's server span, its log lines, the baggage of its outgoing calls
 *   and the `x-session-id` response header, which a client (the browser module) adopts.
 * - The old id is kept as `session.previous_id` on the same telemetry (`npm run trace`
 *   follows that link from one session to the next), and a `session.end` (old id) and a
 *   `session.start` (new id, `session.previous_id` old id) event are emitted.
 * - A request starts at most one new session: a second call returns the id of the first.
 * - When the client is already gone (the connection closed before the answer), nothing
 *   changes and the current id is returned: the new id could reach nobody.
 * - Under session sampling the request's trace belongs to the session it ends in, the new
 *   one: it is kept or dropped with the new session's later requests.
 *
 * Nothing is remembered between requests: every instance of a service behind a load
 * balancer answers the new id's requests alike. A request that merely carries a signed-in
 * user's credentials does not call it: only the moment of signing in does. A service behind
 * the edge must not call it: its answer goes to the calling service, not to the client, so
 * the client would stay in the old session.
 *
 * @returns the new session id.
 * @throws {Error} outside a request's session (none, or one of `runWithSession`, which has no
 * answer to carry the new id), or once the response's headers were sent (the new id could no
 * longer reach the client): all are mistakes in the calling code.
 */
export function rotateSession(): string {
  const store = currentSessionStore();
  if (store === undefined) throw new Error('rotateSession() called outside any session: call it while handling the request that signs a user in');
  const { response } = store;
  if (response === undefined) {
    throw new Error('rotateSession() called in a session of runWithSession: only a request can start a new session, as its answer carries the new id to the client');
  }
  const currentId = store.values.sessionId;
  // A request's store gets a previous id from a rotation only (setByKey cannot write one):
  // having one means this request already started its new session.
  if (store.values.previousSessionId !== undefined && currentId !== undefined) return currentId;
  if (response.headersSent) {
    throw new Error('rotateSession() called after the response headers were sent: call it before answering, so that the client gets the new session id');
  }
  if (response.destroyed && currentId !== undefined) return currentId;

  const nextId = newSessionId();
  if (currentId !== undefined) writeSessionValue(store, SessionMapKey.PREVIOUS_SESSION_ID, currentId);
  writeSessionValue(store, SessionMapKey.SESSION_ID, nextId);
  response.setHeader(SESSION_ID_HEADER, nextId);
  if (currentId !== undefined) emitSessionReplaced(currentId, nextId);
  return nextId;
}
