import { context, type Context } from '@opentelemetry/api';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';

/**
 * Where each winston record carries the OpenTelemetry context it was logged in (set by
 * {@link contextLogFields}'s getter as winston copies the default fields into the record).
 * A symbol: JSON lines and exported attributes leave it out.
 */
export const LOGGED_IN_CONTEXT = Symbol('session-context-service.logged-in-context');

/**
 * OpenTelemetry's maintained winston bridge (`@opentelemetry/winston-transport`), run in the
 * context the record was logged in.
 *
 * The bridge maps the record (severity from the level, body from the message, every other
 * field an attribute, `trace_id` / `span_id` / `trace_flags` left out because the record
 * carries its trace natively) and emits it to the OpenTelemetry logs SDK, which takes the
 * trace and span from the active context. winston hands a record to its transports through
 * a stream, which may run after the logging call returned, outside its context; this
 * subclass only restores that context around the bridge.
 */
export class LogRecordExportTransport extends OpenTelemetryTransportV3 {
  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    const loggedIn = info[LOGGED_IN_CONTEXT] as Context | undefined;
    if (loggedIn === undefined || loggedIn === context.active()) {
      super.log(info, next);
      return;
    }
    context.with(loggedIn, () => {
      super.log(info, next);
    });
  }
}
