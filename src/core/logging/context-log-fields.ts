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
 * An object whose enumerable getters read the caller's context: the session's `session.id`
 * and `user.id`, and the active span's `trace_id`, `span_id` and `trace_flags` (`01`
 * sampled, `00` not: see `readTraceFlagsWith`), the names OpenTelemetry's winston
 * instrumentation uses.
 *
 * Given to winston as `defaultMeta`: winston copies it into each record with
 * `Object.assign` inside the logging call, so the getters run synchronously in the caller's
 * async context. A winston *format* would not do: formats run inside the logger's stream and
 * can run later, outside that context, once the stream buffers under load. (The trace fields
 * came from instrumentation-winston before, which wraps every write to add them; these
 * getters cost less and need no patching.) Unset values read as `undefined`, which the JSON
 * format leaves out.
 *
 * With `keepContext`, one more getter, under the symbol {@link LOGGED_IN_CONTEXT}, keeps the
 * active context itself with the record, for the transport that exports it as an
 * OpenTelemetry log record; a logger that exports nothing does not pay for it on every line.
 */
export function contextLogFields(keepContext = false): Readonly<Record<string | symbol, unknown>> {
  const fields: Record<string | symbol, unknown> = {};
  if (keepContext) Object.defineProperty(fields, LOGGED_IN_CONTEXT, { enumerable: true, get: () => context.active() });
  for (const key of SESSION_KEYS) {
    Object.defineProperty(fields, SESSION_TELEMETRY[key].name, {
      enumerable: true,
      get: () => currentSessionStore()?.values[key],
    });
  }
  const traceFields: Record<string, (span: Span) => string> = {
    trace_id: (span) => span.spanContext().traceId,
    span_id: (span) => span.spanContext().spanId,
    trace_flags: (span) => `0${traceFlagsOf(span).toString(16)}`,
  };
  for (const [name, read] of Object.entries(traceFields)) {
    Object.defineProperty(fields, name, {
      enumerable: true,
      get: () => {
        const span = activeSpan();
        return span === undefined ? undefined : read(span);
      },
    });
  }
  return fields;
}

// The three trace getters run one after another for each record: the span is looked up and
// its context validated once per active context, not three times.
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
