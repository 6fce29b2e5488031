import { context, propagation, type Baggage, type BaggageEntry, type Span } from '@opentelemetry/api';
import { TELEMETRY_KEY_BY_SESSION_KEY, type SessionMapKey, type SessionValues } from './session-map-key.ts';
import { runInSessionStore, type SessionStore } from './session-storage.ts';

/** Values a session starts with: the session id is required, the rest optional. */
export type InitialSessionValues = Pick<SessionValues, 'sessionId'> & Partial<SessionValues>;

/** Options of {@link runWithSession}. */
export interface RunWithSessionOptions {
  /**
   * Spans that started before the session and should carry its values anyway (the session
   * middleware passes the request's root span); they are tagged now and on every later
   * `setByKey`. Default none.
   */
  readonly earlySpans?: readonly Span[];
  /**
   * The baggage the session's context starts from. Default: the active context's. The
   * session middleware passes an empty one for callers it does not trust.
   */
  readonly baggage?: Baggage;
}

/**
 * Runs `fn` inside a new session: a fresh session store and an OpenTelemetry context whose
 * baggage carries the session's telemetry keys (`session.id`, `user.id`).
 *
 * Use it for work that does not come in over HTTP (jobs, queue consumers); HTTP requests get
 * theirs from the session middleware. Nested calls start an independent session.
 */
export function runWithSession<T>(values: InitialSessionValues, fn: () => T, options?: RunWithSessionOptions): T {
  // This runs once per request: no closures, and baggage built in one step where possible.
  const earlySpans = options?.earlySpans ?? NO_SPANS;
  const store: SessionStore = { values: { ...values }, earlySpans };
  const entries: Record<string, BaggageEntry> = {};
  for (const [key, telemetryKey] of TELEMETRY_ENTRIES) {
    const value = store.values[key];
    if (value === undefined) continue;
    entries[telemetryKey] = { value };
    for (const span of earlySpans) span.setAttribute(telemetryKey, value);
  }
  const active = context.active();
  const base = options?.baggage ?? propagation.getBaggage(active);
  const baggage = base === undefined ? propagation.createBaggage(entries) : withSessionEntries(base, entries);
  return context.with(propagation.setBaggage(active, baggage), runInSessionStore<T>, undefined, store, fn);
}

const TELEMETRY_ENTRIES = Object.entries(TELEMETRY_KEY_BY_SESSION_KEY) as [SessionMapKey, string][];
const NO_SPANS: readonly Span[] = [];

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
