import {
  propagation,
  type Baggage,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import { currentSessionStore, type SessionStore } from '../context/session-storage.ts';
import { ATTR_SESSION_ID, ATTR_USER_ID } from './semconv.ts';

/** Who is trusted with what, across the service boundary. */
export interface BaggagePolicy {
  /**
   * Keep every entry of incoming baggage. When `false` (an edge service), only `session.id`
   * is kept from a caller's baggage: a client cannot plant `user.id` or any other entry.
   */
  readonly trustIncomingBaggage: boolean;
  /** Send `user.id` in outgoing baggage. When `false`, it never leaves the process. */
  readonly propagateUserId: boolean;
}

/**
 * W3C baggage propagation with the session store as the source of truth.
 *
 * - extract: incoming baggage, filtered by {@link BaggagePolicy.trustIncomingBaggage}.
 * - inject: the context's baggage, with `session.id` (and `user.id` if allowed) taken from
 *   the session store at the moment of the call, so a `setByKey` made earlier in the
 *   request is what goes out.
 */
export class SessionBaggagePropagator implements TextMapPropagator {
  readonly #w3c = new W3CBaggagePropagator();
  readonly #policy: BaggagePolicy;

  constructor(policy: BaggagePolicy) {
    this.#policy = policy;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const store = currentSessionStore();
    const outgoing = outgoingBaggage(propagation.getBaggage(context), store, this.#policy);
    if (outgoing === undefined) return;
    this.#w3c.inject(propagation.setBaggage(context, outgoing), carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.#w3c.extract(context, carrier, getter);
    const incoming = propagation.getBaggage(extracted);
    if (incoming === undefined || this.#policy.trustIncomingBaggage) return extracted;
    return propagation.setBaggage(extracted, untrustedBaggage(incoming));
  }

  fields(): string[] {
    return this.#w3c.fields();
  }
}

/**
 * The baggage to send: `current` with the session's entries overwritten from `store`.
 * Outside a session, `current` goes out as it is, minus `user.id` unless allowed.
 * @returns `undefined` when there is nothing to send.
 */
export function outgoingBaggage(
  current: Baggage | undefined,
  store: SessionStore | undefined,
  policy: BaggagePolicy,
): Baggage | undefined {
  let baggage = (current ?? propagation.createBaggage()).removeEntry(ATTR_USER_ID);
  const sessionId = store?.values.sessionId;
  if (sessionId !== undefined) baggage = baggage.setEntry(ATTR_SESSION_ID, { value: sessionId });
  const userId = store === undefined ? current?.getEntry(ATTR_USER_ID)?.value : store.values.userId;
  if (policy.propagateUserId && userId !== undefined) baggage = baggage.setEntry(ATTR_USER_ID, { value: userId });
  return baggage.getAllEntries().length === 0 ? undefined : baggage;
}

/** What an untrusted caller's baggage is reduced to: its `session.id`, if any. */
export function untrustedBaggage(incoming: Baggage): Baggage {
  const sessionId = incoming.getEntry(ATTR_SESSION_ID);
  const empty = propagation.createBaggage();
  return sessionId === undefined ? empty : empty.setEntry(ATTR_SESSION_ID, { value: sessionId.value });
}
