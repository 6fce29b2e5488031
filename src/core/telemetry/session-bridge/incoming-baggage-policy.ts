import { propagation, type Baggage } from '@opentelemetry/api';
import { ATTR_SESSION_ID, ATTR_USER_ID, isValidSessionId, isValidUserId } from '../../context/index.ts';

/**
 * What of a caller's W3C baggage enters the process, decided once, where the baggage is
 * extracted from the request headers, so that no context anywhere in the process (request
 * code, listeners on `req`/`res`, timers, emitters, streams) ever holds more.
 *
 * - Untrusted callers (an edge service, the default): only a valid `session.id`. A client
 *   can neither claim a user id nor plant entries that would travel further.
 * - Trusted callers (`TRUST_INCOMING_BAGGAGE=true`, internal services behind an edge): every
 *   entry, except a `session.id` or `user.id` whose value the session rules reject.
 *
 * @returns the admitted baggage, or `undefined` when nothing is admitted.
 */
export function admitIncomingBaggage(incoming: Baggage, trusted: boolean): Baggage | undefined {
  const sessionId = incoming.getEntry(ATTR_SESSION_ID)?.value;
  if (!trusted) {
    return isValidSessionId(sessionId) ? propagation.createBaggage({ [ATTR_SESSION_ID]: { value: sessionId } }) : undefined;
  }
  let admitted = incoming;
  if (sessionId !== undefined && !isValidSessionId(sessionId)) admitted = admitted.removeEntry(ATTR_SESSION_ID);
  const userId = incoming.getEntry(ATTR_USER_ID)?.value;
  if (userId !== undefined && !isValidUserId(userId)) admitted = admitted.removeEntry(ATTR_USER_ID);
  return admitted.getAllEntries().length === 0 ? undefined : admitted;
}
