import type { ConcurrencyLimit } from './concurrency-limit.ts';

/** A body was larger than the reader allows; it was not read further. */
export class BodyTooLargeError extends Error {
  readonly limitBytes: number;
  /** Bytes read before stopping, or the length the sender declared. */
  readonly seenBytes: number;

  constructor(limitBytes: number, seenBytes: number, declared: boolean) {
    super(declared ? `the body declares ${seenBytes} bytes, over the limit of ${limitBytes}` : `the body passed the limit of ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
    this.limitBytes = limitBytes;
    this.seenBytes = seenBytes;
  }
}

/**
 * Where answers larger than `thresholdBytes` wait for one of a few slots before being read
 * further ({@link readLimitedBody}): many small answers are read at once, a few large ones.
 */
export interface LargeBodyGate {
  readonly thresholdBytes: number;
  readonly slots: ConcurrencyLimit;
}

/**
 * Reads a fetch response's body as a stream, holding at most `maxBytes` (after any
 * Content-Encoding is undone, so a compressed answer cannot expand past it). Past the limit
 * the stream is cancelled, which closes the connection.
 * @throws {BodyTooLargeError} when Content-Length declares more than `maxBytes` (nothing is
 * read) or when more than `maxBytes` arrive.
 * Errors of the stream itself (connection lost, aborted) propagate as the stream reports them.
 *
 * With `gate`, a body that passes `gate.thresholdBytes` stops there until one of the gate's
 * slots is free, and holds it to its end: only that many large bodies are read at once,
 * whatever number of requests run (the socket holds the rest of the answer meanwhile).
 */
export async function readLimitedBody(response: Response, maxBytes: number, gate?: LargeBodyGate, signal?: AbortSignal): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  // Content-Length counts encoded bytes; only an unencoded body can be refused from it.
  if (response.headers.get('content-encoding') === null && declared > maxBytes) {
    await response.body?.cancel();
    throw new BodyTooLargeError(maxBytes, declared, true);
  }
  if (response.body === null) return new Uint8Array(0);
  const body: ReadableStream<Uint8Array> = response.body;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let releaseLargeSlot: (() => void) | undefined;
  try {
    // Leaving the loop by throwing cancels the stream (the iterator's return()).
    for await (const chunk of body) {
      total += chunk.byteLength;
      if (total > maxBytes) throw new BodyTooLargeError(maxBytes, total, false);
      chunks.push(chunk);
      if (gate !== undefined && releaseLargeSlot === undefined && total > gate.thresholdBytes) releaseLargeSlot = await gate.slots.acquire(signal);
    }
    return Buffer.concat(chunks, total);
  } finally {
    releaseLargeSlot?.();
  }
}
