/**
 * Runs at most `limit` tasks at once; the others wait for a free slot, first come first
 * served. A task waiting for its slot holds nothing (no socket, no buffer): only a running
 * task does.
 */
export class ConcurrencyLimit {
  readonly #limit: number;
  #running = 0;
  #peak = 0;
  /** Starts a waiting task; the head of the queue is the oldest. */
  readonly #waiting: (() => void)[] = [];

  /** @throws {RangeError} when `limit` is not a whole number of at least 1. */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`a concurrency limit must be a whole number of at least 1, got ${limit}`);
    this.#limit = limit;
  }

  /** The limit given to the constructor. */
  get limit(): number {
    return this.#limit;
  }

  /** The most tasks that ever ran at once. */
  get peak(): number {
    return this.#peak;
  }

  /**
   * Waits for a slot, like {@link run}, for work that is not one promise: the caller must call
   * the function it resolves with, once, when done.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    await this.#slot(signal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release();
    };
  }

  /**
   * Runs `task` once fewer than `limit` others run, and frees the slot when it settles.
   * @param signal aborts the wait for a slot (the task is then never started) and rejects with
   * the signal's reason; once started, the task itself must watch the signal.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const release = await this.acquire(signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  #slot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (this.#running < this.#limit) {
      this.#started();
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const start = (): void => {
        signal?.removeEventListener('abort', abandon);
        this.#started();
        resolve();
      };
      const abandon = (): void => {
        this.#waiting.splice(this.#waiting.indexOf(start), 1);
        reject(signal?.reason as Error);
      };
      this.#waiting.push(start);
      signal?.addEventListener('abort', abandon, { once: true });
    });
  }

  #started(): void {
    this.#running++;
    this.#peak = Math.max(this.#peak, this.#running);
  }

  #release(): void {
    this.#running--;
    this.#waiting.shift()?.();
  }
}
