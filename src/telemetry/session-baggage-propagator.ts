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
import { takeOutgoingHost } from './outgoing-destination.ts';
import { ATTR_SESSION_ID, ATTR_USER_ID } from './semconv.ts';

/**
 * What leaves the process in baggage. (What is accepted from callers is the session
 * middleware's `trustIncomingBaggage`.)
 */
export interface BaggagePolicy {
  /** Send `user.id` in outgoing baggage. When `false`, it never leaves the process. */
  readonly propagateUserId: boolean;
  /**
   * Host names (lower case) that outgoing HTTP requests may carry baggage to. A request to
   * any other host, or an inject whose destination is unknown (it did not come through the
   * http or undici instrumentation), carries none. Default: no restriction.
   */
  readonly baggageAllowedHosts?: ReadonlySet<string>;
}

/**
 * W3C baggage propagation with the session store as the source of truth: on inject, the
 * context's baggage goes out with `session.id` (and `user.id`, if allowed) taken from the
 * session store at the moment of the call, so a `setByKey` made earlier in the request is
 * what goes out. Extraction is plain W3C; the session middleware decides what to trust.
 */
export class SessionBaggagePropagator implements TextMapPropagator {
  readonly #w3c = new W3CBaggagePropagator();
  readonly #policy: BaggagePolicy;

  constructor(policy: BaggagePolicy) {
    this.#policy = policy;
  }

  inject(context: Context, carrier: unknown, setter: TextMapSetter): void {
    const host = takeOutgoingHost();
    const allowed = this.#policy.baggageAllowedHosts;
    // A third party gets no baggage at all: not the session, not what callers sent along. A
    // destination this propagator cannot see (another instrumentation, a manual inject) is
    // treated as one, since it cannot be shown to be on the list.
    if (allowed !== undefined && (host === undefined || !allowed.has(host))) return;
    const store = currentSessionStore();
    const outgoing = outgoingBaggage(propagation.getBaggage(context), store, this.#policy);
    if (outgoing === undefined) return;
    this.#w3c.inject(propagation.setBaggage(context, outgoing), carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.#w3c.extract(context, carrier, getter);
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
