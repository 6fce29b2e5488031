import { hash } from 'node:crypto';
import { propagation, type Attributes, type Context, type Link, type SpanKind } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';
import { ATTR_SESSION_ID, currentSessionStore, isValidSessionId, sessionSlotOf } from '../../context/index.ts';

/**
 * Whether the session `sessionId` is traced at `ratio` (0 to 1): the first four bytes of the
 * SHA-256 of the id (UTF-8), read as a big-endian unsigned integer, are below `ratio` × 2^32.
 *
 * A function of the id alone, the same in every service and process (and easy to write in
 * any language): a session is traced everywhere or nowhere. Uniform for ids that are random
 * or distinct (test/core/unit/telemetry/session-bridge/session-ratio-sampler.test.ts).
 */
export function isSessionSampled(sessionId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (!(ratio > 0)) return false;
  return hash('sha256', sessionId, 'buffer').readUInt32BE(0) < ratio * 2 ** 32;
}

/**
 * A sampler that keeps or drops whole sessions: a span whose context belongs to a session is
 * sampled exactly when {@link isSessionSampled}. The session is, first that applies, the one
 * the request's headers were extracted for (its id decided before its first span starts),
 * the session of the running code (`runWithSession`, the middleware), or a valid `session.id`
 * in the context's baggage. A span outside any session is sampled by its trace id, at the
 * same ratio.
 *
 * Meant as the root sampler of a `ParentBasedSampler` (`OTEL_TRACES_SAMPLER=
 * parentbased_session_ratio`): a span with a parent follows the parent's decision, which the
 * service that started the trace took by the same rule on the same session id.
 */
export class SessionRatioSampler implements Sampler {
  readonly #ratio: number;
  readonly #outsideSessions: TraceIdRatioBasedSampler;

  /** @param ratio the share of sessions traced, 0 to 1. */
  constructor(ratio: number) {
    this.#ratio = ratio;
    this.#outsideSessions = new TraceIdRatioBasedSampler(ratio);
  }

  shouldSample(context: Context, traceId: string, _spanName: string, _kind: SpanKind, _attributes: Attributes, _links: Link[]): SamplingResult {
    const sessionId = sessionOf(context);
    if (sessionId === undefined) return this.#outsideSessions.shouldSample(context, traceId);
    return { decision: isSessionSampled(sessionId, this.#ratio) ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  toString(): string {
    return `SessionRatioSampler{${this.#ratio}}`;
  }
}

function sessionOf(context: Context): string | undefined {
  const decided = sessionSlotOf(context)?.sessionId ?? currentSessionStore()?.values.sessionId;
  if (decided !== undefined) return decided;
  const fromBaggage = propagation.getBaggage(context)?.getEntry(ATTR_SESSION_ID)?.value;
  return isValidSessionId(fromBaggage) ? fromBaggage : undefined;
}
