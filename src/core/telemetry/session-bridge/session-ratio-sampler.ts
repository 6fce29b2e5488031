import { hash } from 'node:crypto';
import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { SamplingDecision, TraceIdRatioBasedSampler, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';
import { sessionSourceOf } from './session-source.ts';

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

const RECORD_FOR_THE_SESSION: SamplingResult = Object.freeze({ decision: SamplingDecision.RECORD_AND_SAMPLED });

/**
 * The root sampler of session sampling (`OTEL_TRACES_SAMPLER=parentbased_session_ratio`, as
 * the root of a `ParentBasedSampler`), one half of it: a trace that starts in a session (see
 * `sessionSourceOf`) is recorded, and `SessionSampledSpanProcessor`, the other half, exports
 * it or drops it when its root span ends, by {@link isSessionSampled} on the id its session
 * has then. A trace outside any session is sampled here by its trace id, at the same ratio.
 *
 * Why not decide here: a service may decide its session id after the request's first span
 * started (it derives it from a login cookie, it rotates it). Deciding at the start, by the
 * id the request arrived with, traced such a session's requests at random.
 *
 * Never use it without that processor: alone, it would keep every session.
 */
export class SessionRatioSampler implements Sampler {
  readonly #ratio: number;
  readonly #outsideSessions: TraceIdRatioBasedSampler;

  /** @param ratio the share of sessions traced, 0 to 1 (applied by the processor). */
  constructor(ratio: number) {
    this.#ratio = ratio;
    this.#outsideSessions = new TraceIdRatioBasedSampler(ratio);
  }

  shouldSample(context: Context, traceId: string, _spanName: string, _kind: SpanKind, _attributes: Attributes, _links: Link[]): SamplingResult {
    return sessionSourceOf(context) === undefined ? this.#outsideSessions.shouldSample(context, traceId) : RECORD_FOR_THE_SESSION;
  }

  toString(): string {
    return `SessionRatioSampler{${this.#ratio}}`;
  }
}
