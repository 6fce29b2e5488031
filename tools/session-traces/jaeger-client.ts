import { AnswerShapeError, parseServicesAnswer, parseTracesAnswer, type JaegerTrace } from './jaeger-answer.ts';
import { JaegerAnswerError, JaegerUnavailableError } from './jaeger-errors.ts';
import { parseJaegerUrl } from './jaeger-url.ts';
import { BodyTooLargeError, readLimitedBody } from './read-limited-body.ts';
import { stripControlCharacters } from './strip-control-characters.ts';

/** A search of one service's traces. */
export interface TraceSearch {
  readonly service: string;
  /** Tags every returned trace has, e.g. `{"session.id": "…"}`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Window start, epoch milliseconds. */
  readonly sinceMs: number;
  readonly limit: number;
}

/** Limits of {@link JaegerClient}; every field is optional. */
export interface JaegerClientOptions {
  /**
   * Largest answer read, in bytes (decompressed). Default {@link DEFAULT_MAX_ANSWER_BYTES},
   * 64 MiB: a search of 1000 traces of ~100 spans each is well under it.
   */
  readonly maxAnswerBytes?: number;
  /** Time for one request, from connecting to the end of the answer. Default 10 s. */
  readonly requestTimeoutMs?: number;
}

/** Default of {@link JaegerClientOptions.maxAnswerBytes}: 64 MiB. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

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
 * The few calls of Jaeger's HTTP query API this tool needs. Every answer is read with a size
 * limit and checked against the shape this tool reads; anything else is a {@link JaegerError}
 * subclass whose message is one line that never contains the credentials of `JAEGER_URL`.
 */
export class JaegerClient {
  /** The query address, without credentials, ending in `/`; API paths resolve under it. */
  readonly baseUrl: URL;
  /** The query address as messages show it (no credentials, no trailing `/`). */
  readonly displayUrl: string;
  readonly #authorization: string | undefined;
  readonly #maxAnswerBytes: number;
  readonly #requestTimeoutMs: number;

  /**
   * @param jaegerUrl `JAEGER_URL`: may carry a path (Jaeger's `base_path`) and
   * `user:password@` (sent as HTTP Basic authentication).
   * @throws {JaegerUrlError} for a URL {@link parseJaegerUrl} refuses.
   */
  constructor(jaegerUrl: string | URL, options: JaegerClientOptions = {}) {
    const endpoint = parseJaegerUrl(String(jaegerUrl));
    this.baseUrl = endpoint.base;
    this.displayUrl = endpoint.base.href.replace(/\/$/, '');
    this.#authorization = endpoint.authorization;
    this.#maxAnswerBytes = options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /**
   * `GET api/services`: every service Jaeger has traces of.
   * @param signal aborts the request; the promise then rejects with the signal's reason.
   */
  async services(signal?: AbortSignal): Promise<string[]> {
    return this.#get('api/services', {}, parseServicesAnswer, signal);
  }

  /**
   * `GET api/traces?service=…&tags=…&start=…&end=…&limit=…`. (The v3 API ignores tag
   * filters in Jaeger 2.13, so the v1 search is used.)
   * @param signal aborts the request; the promise then rejects with the signal's reason.
   */
  async searchTraces(search: TraceSearch, signal?: AbortSignal): Promise<JaegerTrace[]> {
    const query = {
      service: search.service,
      tags: JSON.stringify(search.tags),
      start: String(search.sinceMs * 1000),
      end: String(Date.now() * 1000),
      limit: String(search.limit),
    };
    return this.#get('api/traces', query, parseTracesAnswer, signal);
  }

  /** Link to one trace in the Jaeger UI (under the base path, without credentials). */
  traceUrl(traceId: string): string {
    return new URL(`trace/${encodeURIComponent(traceId)}`, this.baseUrl).href;
  }

  /** Link to a search in the Jaeger UI (under the base path, without credentials). */
  searchUrl(service: string, tags: Readonly<Record<string, string>>): string {
    const url = new URL('search', this.baseUrl);
    url.searchParams.set('service', service);
    url.searchParams.set('tags', JSON.stringify(tags));
    return url.href;
  }

  async #get<T>(path: string, query: Record<string, string>, parse: (body: unknown) => T, signal: AbortSignal | undefined): Promise<T> {
    // Relative to the base, so a base path such as /jaeger/ is kept.
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const shown = `/${path}`;
    const timeout = AbortSignal.timeout(this.#requestTimeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#authorization !== undefined) headers['authorization'] = this.#authorization;

    let response: Response;
    try {
      response = await fetch(url, { headers, signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]) });
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      throw new JaegerUnavailableError(
        `Jaeger at ${this.displayUrl} did not answer (${failureReason(error)}). Is it running? Set JAEGER_URL to its query address (UI port, 16686 by default).`,
        { cause: error },
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new JaegerUnavailableError(`Jaeger at ${this.displayUrl} answered ${response.status} to ${shown}; ${this.#statusHint(response.status)}`);
    }

    let bytes: Uint8Array;
    try {
      bytes = await readLimitedBody(response, this.#maxAnswerBytes);
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      if (error instanceof BodyTooLargeError) {
        throw new JaegerAnswerError(
          `Jaeger at ${this.displayUrl} answered ${shown} with more than the ${size(error.limitBytes)} limit; narrow the search with --since, --limit or --service`,
          { cause: error },
        );
      }
      throw new JaegerUnavailableError(`Jaeger at ${this.displayUrl} stopped answering ${shown} part-way (${failureReason(error)})`, { cause: error });
    }
    const body = this.#json(bytes, response.headers.get('content-type'), shown);
    try {
      return parse(body);
    } catch (error) {
      if (!(error instanceof AnswerShapeError)) throw error;
      throw new JaegerAnswerError(`Jaeger at ${this.displayUrl} answered ${shown} with an unexpected shape: ${error.message}`, { cause: error });
    }
  }

  /** The body as JSON, or a message saying what it was instead. */
  #json(bytes: Uint8Array, contentType: string | null, shown: string): unknown {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      throw new JaegerAnswerError(`Jaeger at ${this.displayUrl} answered ${shown} with bytes that are not UTF-8 text`, { cause: error });
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      if (contentType?.includes('json') === true) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new JaegerAnswerError(`Jaeger at ${this.displayUrl} answered ${shown} with malformed JSON (${detail})`, { cause: error });
      }
      const start = stripControlCharacters(text.trimStart().slice(0, 40));
      const what = text.trim() === '' ? 'an empty answer' : `${contentType ?? 'no content type'}, not JSON (${JSON.stringify(start)}…)`;
      throw new JaegerAnswerError(`Jaeger at ${this.displayUrl} answered ${shown} with ${what}; is JAEGER_URL its query address?`, { cause: error });
    }
    return body;
  }

  /** What to try after a non-2xx status. */
  #statusHint(status: number): string {
    if (status === 401 || status === 403) {
      return this.#authorization === undefined
        ? 'it needs credentials: put them in JAEGER_URL as http://user:password@host… (sent as Basic authentication)'
        : 'it refused the credentials in JAEGER_URL';
    }
    return 'is JAEGER_URL its query address?';
  }
}
