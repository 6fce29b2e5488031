import { trace, type Context, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { decidedTraceFlags } from './session-trace.ts';

/**
 * Trace context propagation under session sampling: `inject` sends, as the sampled flag of
 * `traceparent`, whether the call's session is traced, by the id the session has at the
 * moment of the call. The spans of such a trace are recorded until their root span ends
 * (`SessionSampledSpanProcessor`), so their own flag says "recorded", not "kept"; the
 * service called follows the flag it gets, and must get the session's decision.
 *
 * Everything else is `propagator`'s: extract, fields, and inject for traces decided when
 * they started.
 */
export class SessionSampledFlagPropagator implements TextMapPropagator {
  readonly #propagator: TextMapPropagator;

  /** @param propagator the W3C trace context propagator in use (the edge's, or the standard one). */
  constructor(propagator: TextMapPropagator) {
    this.#propagator = propagator;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const span = trace.getSpan(context);
    const traceFlags = span === undefined ? undefined : decidedTraceFlags(span);
    if (span === undefined || traceFlags === undefined || traceFlags === span.spanContext().traceFlags) {
      this.#propagator.inject(context, carrier, setter);
      return;
    }
    this.#propagator.inject(trace.setSpanContext(context, { ...span.spanContext(), traceFlags }), carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.#propagator.extract(context, carrier, getter);
  }

  fields(): string[] {
    return this.#propagator.fields();
  }
}
