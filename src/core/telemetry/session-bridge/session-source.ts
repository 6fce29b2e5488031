import { propagation, type Context } from '@opentelemetry/api';
import { ATTR_SESSION_ID, currentSessionStore, isValidSessionId, sessionSlotOf, type SessionSlot, type SessionStore } from '../../context/index.ts';

/**
 * Where the id of the session a trace belongs to is read, each time a decision needs it: a
 * request's session slot (whose store the session middleware fills after the server span has
 * started), a session store (`runWithSession`, the middleware), or a fixed id (a `session.id`
 * in the context's baggage, outside any session store).
 *
 * Read late on purpose: a service may set the session id after the request's first span
 * started (`setByKey(SessionMapKey.SESSION_ID, deriveSessionId(…))`, `rotateSession`), and
 * the trace then belongs to the session it ends in.
 */
export type SessionSource = SessionSlot | SessionStore | string;

/**
 * The session `context` belongs to, first that applies: the request whose headers were
 * extracted into it (its slot), the session of the running code, a valid `session.id` in
 * its baggage; `undefined` outside any session.
 */
export function sessionSourceOf(context: Context): SessionSource | undefined {
  const slot = sessionSlotOf(context);
  if (slot !== undefined) return slot;
  const store = currentSessionStore();
  if (store !== undefined) return store;
  const fromBaggage = propagation.getBaggage(context)?.getEntry(ATTR_SESSION_ID)?.value;
  return isValidSessionId(fromBaggage) ? fromBaggage : undefined;
}

/** The session id `source` holds now. */
export function sessionIdOf(source: SessionSource): string | undefined {
  if (typeof source === 'string') return source;
  if ('values' in source) return source.values.sessionId;
  return source.store?.values.sessionId ?? source.sessionId;
}
