import { context, propagation, trace } from '@opentelemetry/api';
import { forEachSessionTelemetry, SESSION_TELEMETRY_NAMES, type SessionValues } from './session-map-key.ts';
import { isValidSessionId, newSessionId } from './session-id.ts';
import { createSessionStore, currentSessionStore, runInSessionStore, withoutSessionSlot } from './session-storage.ts';
import { isValidUserId } from './user-id.ts';

/** Values a session starts with: the session id is required, the rest optional. */
export type InitialSessionValues = Pick<SessionValues, 'sessionId'> & Partial<SessionValues>;

let sessionTracesApart = false;

/**
 * Whether `runWithSession`, called inside a trace for another session than the enclosing
 * one, starts traces of its own (`true`) or runs in the enclosing trace (`false`, the
 * default). Session sampling turns it on (`startTelemetry`): it keeps or drops a trace with
 * its session, so a trace must belong to one session. Under any other sampler a job stays a
 * child of the span that started it.
 */
export function startSessionTracesApart(apart: boolean): void {
  sessionTracesApart = apart;
}

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
 * Its spans are children of the span that was active, except under session sampling
 * ({@link startSessionTracesApart}) when the session differs from the enclosing one: they
 * then start traces of their own, whose root spans link to that span, so that the session
 * keeps or drops them whole (docs/session-sampling.md).
 */
export function runWithSession<T>(values: InitialSessionValues, fn: () => T): T {
  const sessionId = isValidSessionId(values.sessionId) ? values.sessionId : newSessionId();
  const active = context.active();
  const enclosing = trace.getSpanContext(active);
  const startedFrom =
    sessionTracesApart && enclosing !== undefined && trace.isSpanContextValid(enclosing) && currentSessionStore()?.values.sessionId !== sessionId
      ? enclosing
      : undefined;
  // Values from a queue message are input like any other: the middleware's rules apply.
  const store = createSessionStore(
    {
      sessionId,
      ...(isValidUserId(values.userId) ? { userId: values.userId } : {}),
      ...(isValidSessionId(values.previousSessionId) ? { previousSessionId: values.previousSessionId } : {}),
    },
    [],
    undefined,
    startedFrom,
  );
  // Apart: neither the enclosing span nor the enclosing request's session slot, so this
  // session's spans start their own traces, decided by this session.
  const base = startedFrom === undefined ? active : withoutSessionSlot(trace.deleteSpan(active));
  // The session's own entries replace whatever session entries the context held.
  let baggage = propagation.getBaggage(base)?.removeEntries(...SESSION_TELEMETRY_NAMES) ?? propagation.createBaggage();
  forEachSessionTelemetry(store.values, ({ name, baggage: travels }, value) => {
    if (travels !== 'never') baggage = baggage.setEntry(name, { value });
  });
  return context.with(propagation.setBaggage(base, baggage), () => runInSessionStore(store, fn));
}
