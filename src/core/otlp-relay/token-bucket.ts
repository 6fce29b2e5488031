import { performance } from 'node:perf_hooks';

/** Options of {@link TokenBucket}. */
export interface TokenBucketOptions {
  /** Tokens added per second, above zero. */
  readonly ratePerSecond: number;
  /** The most tokens held, at least 1: the burst taken at once after a quiet spell. */
  readonly burst: number;
  /** The clock in milliseconds, monotonic. Default `performance.now` (tests pass a fake one). */
  readonly now?: () => number;
}

/**
 * A token bucket: starts full with `burst` tokens and refills continuously at
 * `ratePerSecond`, never beyond `burst`. Constant memory, no timer.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #perMs: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: TokenBucketOptions) {
    this.#capacity = options.burst;
    this.#perMs = options.ratePerSecond / 1000;
    this.#now = options.now ?? (() => performance.now());
    this.#tokens = options.burst;
    this.#updatedAt = this.#now();
  }

  /**
   * Takes one token. Answers 0 when one was taken, else how many milliseconds until one will
   * be there (nothing is taken then: a refused caller does not delay the next).
   */
  take(): number {
    const now = this.#now();
    this.#tokens = Math.min(this.#capacity, this.#tokens + (now - this.#updatedAt) * this.#perMs);
    this.#updatedAt = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    return (1 - this.#tokens) / this.#perMs;
  }
}
