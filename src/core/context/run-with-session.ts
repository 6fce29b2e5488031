import { context, propagation, trace } from '@opentelemetry/api';
import { forEachSessionTelemetry, SESSION_TELEMETRY_NAMES, type SessionValues } from './session-map-key.ts';
import { isValidSessionId, newSessionId } from './session-id.ts';
import { createSessionStore, runInSessionStore, withoutSessionSlot } from './session-storage.ts';
import { isValidUserId } from './user-id.ts';

/** Values a session starts with: the session id is required, the rest optional. */
export type InitialSessionValues = Pick<SessionValues, 'sessionId'> & Partial<SessionValues>;

/**
 * Runs `fn` inside a new session: a fresh session store and an OpenTelemetry context whose
 * baggage carries the session's baggage keys (`session.id`, `user.id`), for code that reads
 * the active baggage itself.
 *
 * Use it for work that does not come in over HTTP (jobs, queue consumers); HTTP requests get
 * theirs from the session middleware. Nested calls start an independent session. The values
 * are checked as the middleware checks headers: an invalid session id is replaced by a new
 * one, an invalid user id is left out.
 *
 * Called inside a trace (in a request, say), the session's spans start traces of their own,
 * whose root spans link to the span that was active: a trace belongs to one session, so that
 * session sampling keeps or drops it whole with its session (docs/session-sampling.md).
 */
export function runWithSession<T>(values: InitialSessionValues, fn: () => T): T {
  const active = context.active();
  const enclosing = trace.getSpanContext(active);
  const startedFrom = enclosing !== undefined && trace.isSpanContextValid(enclosing) ? enclosing : undefined;
  // Values from a queue message are input like any other: the middleware's rules apply.
  const store = createSessionStore(
    {
      sessionId: isValidSessionId(values.sessionId) ? values.sessionId : newSessionId(),
      ...(isValidUserId(values.userId) ? { userId: values.userId } : {}),
      ...(isValidSessionId(values.previousSessionId) ? { previousSessionId: values.previousSessionId } : {}),
    },
    [],
    undefined,
    startedFrom,
  );
  // Neither the enclosing span nor the enclosing request's session slot: this session's
  // spans start their own traces, decided by this session.
  const outside = withoutSessionSlot(startedFrom === undefined ? active : trace.deleteSpan(active));
  // The session's own entries replace whatever session entries the context held.
  let baggage = propagation.getBaggage(outside)?.removeEntries(...SESSION_TELEMETRY_NAMES) ?? propagation.createBaggage();
  forEachSessionTelemetry(store.values, ({ name, baggage: travels }, value) => {
    if (travels !== 'never') baggage = baggage.setEntry(name, { value });
  });
  return context.with(propagation.setBaggage(outside, baggage), () => runInSessionStore(store, fn));
}
