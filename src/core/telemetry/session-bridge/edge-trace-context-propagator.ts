import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** The W3C Trace Context header an edge never takes from a caller. */
const TRACE_STATE_HEADER = 'tracestate';

/**
 * W3C Trace Context propagation for an untrusted edge (`TRUST_INCOMING_BAGGAGE=false`):
 * `traceparent` is extracted as usual (the caller's trace id is kept; the edge's sampler, not
 * the caller's flag, decides: see `EdgeSampler`), but a caller's `tracestate` is never read,
 * so it reaches no span's context and therefore no downstream, allowlisted or not: a client
 * cannot plant vendor entries (`planted=evil-value`) or sampling thresholds (`ot=th:0`) that
 * every service after the edge would act on.
 *
 * Inject is W3C's, unchanged: what the edge's own spans carry goes out.
 */
export class EdgeTraceContextPropagator implements TextMapPropagator {
  readonly #w3c = new W3CTraceContextPropagator();

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    this.#w3c.inject(context, carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    // Not read at all, rather than parsed and dropped: the header is the client's to fill.
    const withoutTraceState: TextMapGetter = {
      get: (from, key) => (key.toLowerCase() === TRACE_STATE_HEADER ? undefined : getter.get(from, key)),
      keys: (from) => getter.keys(from).filter((key) => key.toLowerCase() !== TRACE_STATE_HEADER),
    };
    return this.#w3c.extract(context, carrier, withoutTraceState);
  }

  fields(): string[] {
    return this.#w3c.fields();
  }
}
