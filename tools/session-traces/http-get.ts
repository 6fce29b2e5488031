import { BodyTooLargeError, readLimitedBody } from './read-limited-body.ts';

/** One GET of a query API, with its limits. */
export interface LimitedGet {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  /** Largest body read, in bytes (decompressed). */
  readonly maxBytes: number;
  /** Time for the request, from connecting to the end of the body. */
  readonly timeoutMs: number;
  /** Aborts the request; the promise then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/** A 2xx answer, its body read whole within the limit. */
export interface LimitedAnswer {
  readonly bytes: Uint8Array;
  readonly contentType: string | null;
}

/**
 * Why a GET gave no usable body: no answer (`reason` is the socket error code, such as
 * ECONNREFUSED, or the error's name), a non-2xx status, a body over the limit (`limit` as
 * text, e.g. `64 MiB`), or a body cut off part-way.
 */
export type GetFailure =
  | { readonly kind: 'no-answer'; readonly reason: string }
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'too-large'; readonly limit: string }
  | { readonly kind: 'cut-off'; readonly reason: string };

/** A GET failed; each client turns {@link failure} into its own one-line message. */
export class HttpGetError extends Error {
  readonly failure: GetFailure;

  constructor(failure: GetFailure, options?: ErrorOptions) {
    super(`GET failed: ${failure.kind}`, options);
    this.name = 'HttpGetError';
    this.failure = failure;
  }
}

/** `fetch`'s reason for failing: the socket error code if any (ECONNREFUSED), else the error's name. */
function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return 'no answer';
  const cause: unknown = error.cause;
  if (typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string') return cause.code;
  return error.name;
}

/** `64 MiB`, or `1000 bytes` under one MiB. */
const size = (bytes: number): string => (bytes < 1024 * 1024 ? `${bytes} bytes` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`);

/**
 * GETs `request.url` and reads the whole body as a stream, holding at most `maxBytes`: past
 * it, or when Content-Length announces more, the request is cut off.
 * @throws {HttpGetError} saying why there is no usable body; the signal's reason when aborted.
 */
export async function getLimited(request: LimitedGet): Promise<LimitedAnswer> {
  const { signal } = request;
  const timeout = AbortSignal.timeout(request.timeoutMs);
  let response: Response;
  try {
    response = await fetch(request.url, { headers: request.headers, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    throw new HttpGetError({ kind: 'no-answer', reason: failureReason(error) }, { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpGetError({ kind: 'status', status: response.status });
  }
  try {
    return { bytes: await readLimitedBody(response, request.maxBytes), contentType: response.headers.get('content-type') };
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    if (error instanceof BodyTooLargeError) throw new HttpGetError({ kind: 'too-large', limit: size(error.limitBytes) }, { cause: error });
    throw new HttpGetError({ kind: 'cut-off', reason: failureReason(error) }, { cause: error });
  }
}
