import { context, propagation, type Baggage, type Span } from '@opentelemetry/api';
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
export function runWithSession<T>(values: InitialSessionValues, fn: () => T, options: RunWithSessionOptions = {}): T {
  const earlySpans = options.earlySpans ?? [];
  const store: SessionStore = { values: { ...values }, earlySpans };
  let baggage = options.baggage ?? propagation.getActiveBaggage() ?? propagation.createBaggage();
  for (const [key, telemetryKey] of Object.entries(TELEMETRY_KEY_BY_SESSION_KEY) as [SessionMapKey, string][]) {
    const value = store.values[key];
    if (value === undefined) {
      baggage = baggage.removeEntry(telemetryKey);
      continue;
    }
    baggage = baggage.setEntry(telemetryKey, { value });
    for (const span of earlySpans) span.setAttribute(telemetryKey, value);
  }
  const otelContext = propagation.setBaggage(context.active(), baggage);
  return context.with(otelContext, () => runInSessionStore(store, fn));
}
