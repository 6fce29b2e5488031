import { context, isSpanContextValid, trace, type Context, type Span } from '@opentelemetry/api';
import { currentSessionStore, SESSION_KEYS, SESSION_TELEMETRY } from '../context/index.ts';
import { traceFlagsOf } from './trace-flags.ts';

/**
 * Where each winston record carries the OpenTelemetry context it was logged in: the symbol
 * OpenTelemetry's winston bridge (`@opentelemetry/winston-transport`) reads the record's
 * context from (instrumentation-winston sets the same one). winston hands a record to its
 * transports through a stream, which may run after the logging call returned, outside its
 * context; with this the exported record still gets the trace and span it was logged in,
 * without re-entering that context for every record. A symbol: JSON lines leave it out.
 */
export const LOGGED_IN_CONTEXT = Symbol.for('opentelemetry.js.contrib.winston.context');

/**
 * Where each winston record carries the fields the core writes from the caller's context
 * ({@link ContextFields}), apart from the fields of the logging call. A symbol: nothing a
 * caller logs can hold one (client input is JSON), so no meta object can overwrite them;
 * `loggedRecord` puts them on the line and the exported record.
 */
export const CONTEXT_FIELDS = Symbol('session-context-service.log.context-fields');

/**
 * The fields the core writes from the caller's context: the session's `session.id`,
 * `user.id` and `session.previous_id`, and the active span's `trace_id`, `span_id` and
 * `trace_flags` (`01` sampled, `00` not: see `readTraceFlagsWith`), the names
 * OpenTelemetry's winston instrumentation uses. Unset ones are absent.
 */
export type ContextFields = Readonly<Record<string, string>>;

/**
 * An object whose enumerable getters read the caller's context: under {@link CONTEXT_FIELDS},
 * the {@link ContextFields} at the moment of the logging call.
 *
 * Given to winston as `defaultMeta`: winston copies it into each record with
 * `Object.assign` inside the logging call, so the getters run synchronously in the caller's
 * async context. A winston *format* would not do: formats run inside the logger's stream and
 * can run later, outside that context, once the stream buffers under load. (The trace fields
 * came from instrumentation-winston before, which wraps every write to add them; these
 * getters cost less and need no patching.)
 *
 * Under a symbol rather than as the named fields themselves: winston merges a call's meta
 * object over `defaultMeta`, so `logger.info('client data', req.body)` with a body naming
 * `session.id` would otherwise replace the real one (`loggedRecord` keeps the caller's under
 * another name).
 *
 * With `keepContext`, one more getter, under the symbol {@link LOGGED_IN_CONTEXT}, keeps the
 * active context itself with the record, for the transport that exports it as an
 * OpenTelemetry log record; a logger that exports nothing does not pay for it on every line.
 */
export function contextLogFields(keepContext = false): Readonly<Record<symbol, unknown>> {
  const fields: Record<symbol, unknown> = {};
  if (keepContext) Object.defineProperty(fields, LOGGED_IN_CONTEXT, { enumerable: true, get: () => context.active() });
  Object.defineProperty(fields, CONTEXT_FIELDS, { enumerable: true, get: readContextFields });
  return fields;
}

/** The {@link ContextFields} of the active context. */
function readContextFields(): ContextFields {
  const fields: Record<string, string> = {};
  const values = currentSessionStore()?.values;
  if (values !== undefined) {
    for (const key of SESSION_KEYS) {
      const value = values[key];
      if (value !== undefined) fields[SESSION_TELEMETRY[key].name] = value;
    }
  }
  const span = activeSpan();
  if (span !== undefined) {
    const { traceId, spanId } = span.spanContext();
    fields['trace_id'] = traceId;
    fields['span_id'] = spanId;
    fields['trace_flags'] = `0${traceFlagsOf(span).toString(16)}`;
  }
  return fields;
}

// Consecutive records usually share one active context (a request's lines): the span is
// looked up and its context validated once per context, not once per record.
let lastContext: Context | undefined;
let lastSpan: Span | undefined;

function activeSpan(): Span | undefined {
  const active = context.active();
  if (active !== lastContext) {
    lastContext = active;
    const span = trace.getSpan(active);
    lastSpan = span !== undefined && isSpanContextValid(span.spanContext()) ? span : undefined;
  }
  return lastSpan;
}
