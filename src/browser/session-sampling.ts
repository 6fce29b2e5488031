import type { Attributes, Context, Link, SpanKind } from '@opentelemetry/api';
import { sha256 } from '@noble/hashes/sha2.js';
import { SamplingDecision, type Sampler, type SamplingResult } from '@opentelemetry/sdk-trace';

/**
 * Whether the session `sessionId` is traced at `ratio` (0 to 1): the first four bytes of the
 * SHA-256 of the id (UTF-8), read as a big-endian unsigned integer, are below `ratio` × 2^32.
 * The server's rule (the core's `isSessionSampled`), so that the browser and every service
 * trace the same sessions.
 *
 * Synchronous (`@noble/hashes`), since a sampler must answer at once and the browser's
 * `crypto.subtle.digest` only answers in a promise.
 */
export function isSessionSampled(sessionId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (!(ratio > 0)) return false;
  const digest = sha256(new TextEncoder().encode(sessionId));
  return new DataView(digest.buffer, digest.byteOffset, 4).getUint32(0) < ratio * 2 ** 32;
}

/**
 * The root sampler of the browser's `ParentBasedSampler`: a span is sampled exactly when its
 * session ({@link isSessionSampled} on the current session's id) is. Decided once per
 * session: the answer is kept until the session changes.
 */
export class SessionSampler implements Sampler {
  readonly #currentSessionId: () => string;
  readonly #ratio: number;
  #decided: { readonly sessionId: string; readonly sampled: boolean } | undefined;

  /**
   * @param currentSessionId the current session's id, read at each root span.
   * @param ratio the share of sessions traced, 0 to 1 (the server's session ratio).
   */
  constructor(currentSessionId: () => string, ratio: number) {
    this.#currentSessionId = currentSessionId;
    this.#ratio = ratio;
  }

  shouldSample(_context: Context, _traceId: string, _spanName: string, _kind: SpanKind, _attributes: Attributes, _links: Link[]): SamplingResult {
    return { decision: this.isSampled(this.#currentSessionId()) ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD };
  }

  /** Whether `sessionId` is traced; the last session's answer is reused. */
  isSampled(sessionId: string): boolean {
    if (this.#decided?.sessionId !== sessionId) this.#decided = { sessionId, sampled: isSessionSampled(sessionId, this.#ratio) };
    return this.#decided.sampled;
  }

  toString(): string {
    return `SessionSampler{${this.#ratio}}`;
  }
}
