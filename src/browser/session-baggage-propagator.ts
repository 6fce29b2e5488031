import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';

const BAGGAGE_HEADER = 'baggage';

/**
 * Writes `baggage: session.id=<current id>` and nothing else: no other baggage entry of the
 * page leaves it. Meant to be composed with W3C trace context; the fetch instrumentation
 * decides where it is injected (the page's own origin and the trusted origins only).
 * Nothing is written where tracing is suppressed (the exporter's own requests). Extracting
 * is a no-op: a page takes its session from storage, or from an `x-session-id` answer.
 */
export class SessionBaggagePropagator implements TextMapPropagator {
  readonly #currentSessionId: () => string;

  /** @param currentSessionId the current session's id, read at each inject. */
  constructor(currentSessionId: () => string) {
    this.#currentSessionId = currentSessionId;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    if (isTracingSuppressed(context)) return;
    // A valid session id holds no character that baggage would need to escape.
    setter.set(carrier, BAGGAGE_HEADER, `session.id=${this.#currentSessionId()}`);
  }

  extract(context: Context, _carrier: unknown, _getter: TextMapGetter): Context {
    return context;
  }

  fields(): string[] {
    return [BAGGAGE_HEADER];
  }
}
