import { logs } from '@opentelemetry/api';
import { ATTR_SESSION_ID, ATTR_SESSION_PREVIOUS_ID, EVENT_SESSION_END, EVENT_SESSION_START } from './semconv.ts';

// The instrumentation scope of the events, named for what emits them.
const EVENT_SCOPE = 'session-context-service.session';

/**
 * Emits `session.end` for `endedId` and `session.start` for `startedId` (with
 * `session.previous_id`), as the semantic conventions define the two events: OpenTelemetry
 * log records with an event name and no body, in the active context (so the request's trace).
 *
 * They go to the logs SDK only (the collector, VictoriaLogs), not to the service's JSON lines:
 * those already show the change, as every line after it carries both ids. Without a
 * registered logs SDK the API's no-op logger drops them.
 */
export function emitSessionReplaced(endedId: string, startedId: string): void {
  // Asked for at each (rare) rotation rather than at import: the logs SDK registers later.
  const eventLogger = logs.getLogger(EVENT_SCOPE);
  eventLogger.emit({ eventName: EVENT_SESSION_END, attributes: { [ATTR_SESSION_ID]: endedId } });
  eventLogger.emit({ eventName: EVENT_SESSION_START, attributes: { [ATTR_SESSION_ID]: startedId, [ATTR_SESSION_PREVIOUS_ID]: endedId } });
}
