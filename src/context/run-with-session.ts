import { context, propagation, type Baggage, type BaggageEntry } from '@opentelemetry/api';
import { TELEMETRY_KEY_BY_SESSION_KEY, type SessionMapKey, type SessionValues } from './session-map-key.ts';
import { isValidSessionId, newSessionId } from './session-id.ts';
import { createSessionStore, runInSessionStore } from './session-storage.ts';
import { isValidUserId } from './user-id.ts';

/** Values a session starts with: the session id is required, the rest optional. */
export type InitialSessionValues = Pick<SessionValues, 'sessionId'> & Partial<SessionValues>;

/**
 * Runs `fn` inside a new session: a fresh session store and an OpenTelemetry context whose
 * baggage carries the session's telemetry keys (`session.id`, `user.id`), for code that reads
 * the active baggage itself.
 *
 * Use it for work that does not come in over HTTP (jobs, queue consumers); HTTP requests get
 * theirs from the session middleware. Nested calls start an independent session. The values
 * are checked as the middleware checks headers: an invalid session id is replaced by a new
 * one, an invalid user id is left out.
 */
export function runWithSession<T>(values: InitialSessionValues, fn: () => T): T {
  // Values from a queue message are input like any other: the middleware's rules apply.
  const store = createSessionStore(
    {
      sessionId: isValidSessionId(values.sessionId) ? values.sessionId : newSessionId(),
      ...(isValidUserId(values.userId) ? { userId: values.userId } : {}),
    },
    [],
  );
  const entries: Record<string, BaggageEntry> = {};
  for (const [key, telemetryKey] of TELEMETRY_ENTRIES) {
    const value = store.values[key];
    if (value !== undefined) entries[telemetryKey] = { value };
  }
  const active = context.active();
  const base = propagation.getBaggage(active);
  const baggage = base === undefined ? propagation.createBaggage(entries) : withSessionEntries(base, entries);
  return context.with(propagation.setBaggage(active, baggage), runInSessionStore<T>, undefined, store, fn);
}

const TELEMETRY_ENTRIES = Object.entries(TELEMETRY_KEY_BY_SESSION_KEY) as [SessionMapKey, string][];

/** `base` with the session's entries set, and session keys the session lacks removed. */
function withSessionEntries(base: Baggage, entries: Readonly<Record<string, BaggageEntry>>): Baggage {
  let baggage = base;
  for (const [, telemetryKey] of TELEMETRY_ENTRIES) {
    const entry = entries[telemetryKey];
    if (entry !== undefined) baggage = baggage.setEntry(telemetryKey, entry);
    else if (baggage.getEntry(telemetryKey) !== undefined) baggage = baggage.removeEntry(telemetryKey);
  }
  return baggage;
}
