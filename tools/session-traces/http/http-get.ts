import { getSystemErrorMessage } from 'node:util';
import { BodyTooLargeError, readLimitedBody, type LargeBodyGate } from './read-limited-body.ts';

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
  /** Where a large answer waits before being read further (see `readLimitedBody`). */
  readonly largeBodies?: LargeBodyGate | undefined;
}

/** A 2xx answer, its body read whole within the limit. */
export interface LimitedAnswer {
  readonly bytes: Uint8Array;
  readonly contentType: string | null;
}

/**
 * Why a GET gave no usable body: this machine could not make the request (`code` is the
 * system error, such as EMFILE, `reason` the code with the system's words for it: `EMFILE:
 * too many open files`), no answer (`reason` is the socket error code, such as ECONNREFUSED,
 * or the error's name), a non-2xx status, a body over the limit (`limit` as text, e.g.
 * `64 MiB`), or a body cut off part-way.
 */
export type GetFailure =
  | { readonly kind: 'local'; readonly code: string; readonly reason: string }
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

/** The system error behind `fetch`'s failure (its cause), if any. */
function systemError(error: unknown): { code: string; errno: number | undefined } | undefined {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  if (typeof cause !== 'object' || cause === null || !('code' in cause) || typeof cause.code !== 'string') return undefined;
  return { code: cause.code, errno: 'errno' in cause && typeof cause.errno === 'number' ? cause.errno : undefined };
}

/** `fetch`'s reason for failing: the socket error code if any (ECONNREFUSED), else the error's name. */
function failureReason(error: unknown): string {
  return systemError(error)?.code ?? (error instanceof Error ? error.name : 'no answer');
}

/**
 * Errors of this machine, not of the server or the network: no file descriptor (EMFILE for
 * the process, ENFILE for the system), no memory or buffer space, no local address or port.
 * The server was never asked, so "is it running?" would send the user the wrong way.
 */
const LOCAL_ERRORS = new Set(['EMFILE', 'ENFILE', 'ENOMEM', 'ENOBUFS', 'EADDRNOTAVAIL']);

/** The failure of a `fetch` that rejected: `local` when the system error is this machine's, else `no-answer`. */
function fetchFailure(error: unknown): GetFailure {
  const system = systemError(error);
  if (system === undefined || !LOCAL_ERRORS.has(system.code)) return { kind: 'no-answer', reason: failureReason(error) };
  const words = system.errno === undefined ? undefined : getSystemErrorMessage(system.errno);
  return { kind: 'local', code: system.code, reason: words === undefined ? system.code : `${system.code}: ${words}` };
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
    throw new HttpGetError(fetchFailure(error), { cause: error });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpGetError({ kind: 'status', status: response.status });
  }
  try {
    return { bytes: await readLimitedBody(response, request.maxBytes, request.largeBodies, request.signal), contentType: response.headers.get('content-type') };
  } catch (error) {
    if (signal?.aborted === true) throw signal.reason;
    if (error instanceof BodyTooLargeError) throw new HttpGetError({ kind: 'too-large', limit: size(error.limitBytes) }, { cause: error });
    throw new HttpGetError({ kind: 'cut-off', reason: failureReason(error) }, { cause: error });
  }
}
