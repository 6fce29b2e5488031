import {
  propagation,
  type Baggage,
  type BaggageEntry,
  type Context,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { W3CBaggagePropagator } from '@opentelemetry/core';
import {
  ATTR_SESSION_ID,
  chooseSessionId,
  currentSessionStore,
  forEachSessionTelemetry,
  SESSION_ID_HEADER,
  SESSION_TELEMETRY_NAMES,
  withSessionSlot,
  type SessionStore,
} from '../../context/index.ts';
import { admitIncomingBaggage } from './incoming-baggage-policy.ts';
import { takeOutgoingHost } from './outgoing-destination.ts';

/** What crosses the process boundary in W3C baggage, in and out. */
export interface BaggagePolicy {
  /**
   * Admit every entry of incoming baggage (`user.id` included), for internal services whose
   * callers are trusted services of the same system. When `false` (an edge), only a valid
   * `session.id` is admitted. See {@link admitIncomingBaggage}.
   */
  readonly trustIncomingBaggage: boolean;
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
 * W3C baggage propagation that enforces the session's trust boundary.
 *
 * - Extract: the caller's baggage is filtered by the trust policy before any code sees it
 *   ({@link admitIncomingBaggage}), and the context gets the request's session slot: the
 *   session id the request will have (from `x-session-id`, the admitted baggage, or new),
 *   which the sampler of its first span decides by and the middleware then uses, and the
 *   store through which listeners on `req`/`res` find the session the middleware creates.
 * - Inject: `session.id` (and `user.id`, if allowed) are written from the session store at
 *   the moment of the call, so a `setByKey` made earlier in the request is what goes out;
 *   outside any session neither goes out. Other entries of the context's baggage go along
 *   (at an untrusted edge, only entries the service itself set).
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
    const outgoing = outgoingBaggage(propagation.getBaggage(context), currentSessionStore(), this.#policy);
    if (outgoing === undefined) return;
    this.#w3c.inject(propagation.setBaggage(context, outgoing), carrier, setter);
  }

  extract(context: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.#w3c.extract(context, carrier, getter);
    const incoming = propagation.getBaggage(extracted);
    // Unchanged baggage is the process's own (the carrier had none): not the caller's to filter.
    const admittedContext =
      incoming === undefined || incoming === propagation.getBaggage(context) ? extracted : this.#admit(extracted, incoming);
    // The request's session id, decided now, before its first span starts (its sampler reads it).
    const sessionId = chooseSessionId(getter.get(carrier, SESSION_ID_HEADER), propagation.getBaggage(admittedContext)?.getEntry(ATTR_SESSION_ID)?.value);
    return withSessionSlot(admittedContext, sessionId);
  }

  #admit(extracted: Context, incoming: Baggage): Context {
    const admitted = admitIncomingBaggage(incoming, this.#policy.trustIncomingBaggage);
    return admitted === undefined ? propagation.deleteBaggage(extracted) : propagation.setBaggage(extracted, admitted);
  }

  fields(): string[] {
    return this.#w3c.fields();
  }
}

/**
 * The baggage to send: the session's entries (`session.id`, and `user.id` when the policy lets
 * identity travel; see `SESSION_TELEMETRY`), taken from `store` only, never from the context,
 * then the context's other entries in their order.
 *
 * The session's entries come first because the W3C serializer keeps entries in order and
 * leaves out whichever would pass its limits (180 entries, 8,192 bytes): behind a trusted
 * caller's large baggage, a `session.id` placed last was the entry left out, and the
 * downstream started a session of its own.
 * @returns `undefined` when there is nothing to send.
 */
export function outgoingBaggage(
  current: Baggage | undefined,
  store: SessionStore | undefined,
  policy: Pick<BaggagePolicy, 'propagateUserId'>,
): Baggage | undefined {
  const entries: [string, BaggageEntry][] = [];
  if (store !== undefined) {
    forEachSessionTelemetry(store.values, ({ name, baggage: travels }, value) => {
      if (travels === 'always' || (travels === 'identity' && policy.propagateUserId)) entries.push([name, { value }]);
    });
  }
  if (current !== undefined) entries.push(...current.removeEntries(...SESSION_TELEMETRY_NAMES).getAllEntries());
  return entries.length === 0 ? undefined : baggageInOrder(entries);
}

/**
 * A baggage holding `entries` in this order. `createBaggage` takes an object, which keeps its
 * keys in insertion order except keys that look like array indexes (`42`), put first; with
 * such a key the baggage is built entry by entry instead (each `setEntry` copies the entries:
 * about 1.4 ms for 180 of them, against 70 µs in one go).
 */
function baggageInOrder(entries: readonly [string, BaggageEntry][]): Baggage {
  if (!entries.some(([name]) => ARRAY_INDEX_LIKE.test(name))) return propagation.createBaggage(Object.fromEntries(entries));
  let baggage = EMPTY_BAGGAGE;
  for (const [name, entry] of entries) baggage = baggage.setEntry(name, entry);
  return baggage;
}

const EMPTY_BAGGAGE = propagation.createBaggage();
/** Every key an object would order first (array indexes), and a few more: only the slower path is taken for those. */
const ARRAY_INDEX_LIKE = /^\d+$/;
