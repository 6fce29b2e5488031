import { AnswerShapeError, ConcurrencyLimit, decodeAnswerText, describeNotJson, HttpGetError, QueryEndpoint, type LimitedAnswer } from '../http/index.ts';
import { parseServicesAnswer, parseTracesAnswer, type JaegerTrace } from './jaeger-answer.ts';
import { JaegerAnswerError, JaegerError, JaegerUnavailableError } from './jaeger-errors.ts';

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
  /**
   * Most requests in progress at once, all searches of this client together (each holds a
   * connection and its answer); the others wait their turn. Default
   * {@link DEFAULT_MAX_CONCURRENT_REQUESTS}, 8.
   */
  readonly maxConcurrentRequests?: number;
  /**
   * Answers larger than this many bytes are read only {@link maxLargeAnswersAtOnce} at a
   * time (the others wait, their rest held by the socket). Default
   * {@link DEFAULT_LARGE_ANSWER_BYTES}, 8 MiB.
   */
  readonly largeAnswerBytes?: number;
  /** Default {@link DEFAULT_MAX_LARGE_ANSWERS_AT_ONCE}, 2. */
  readonly maxLargeAnswersAtOnce?: number;
}

/**
 * Default of {@link JaegerClientOptions.largeAnswerBytes}: 8 MiB. With the defaults, the
 * answers held at once are at most 8 under 8 MiB and 2 up to `maxAnswerBytes` (64 MiB):
 * 192 MiB of bytes, plus the parse of one answer (JSON.parse runs one at a time; it takes
 * about 6.5 times the answer's size): a bound that does not grow with the number of services
 * or of large answers. Ordinary answers (a few hundred KiB) never wait.
 */
export const DEFAULT_LARGE_ANSWER_BYTES = 8 * 1024 * 1024;

/** Default of {@link JaegerClientOptions.maxLargeAnswersAtOnce}: 2, one read while one is parsed. */
export const DEFAULT_MAX_LARGE_ANSWERS_AT_ONCE = 2;

/** Default of {@link JaegerClientOptions.maxAnswerBytes}: 64 MiB. */
export const DEFAULT_MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * Default of {@link JaegerClientOptions.maxConcurrentRequests}: 8. A lookup searches every
 * service Jaeger knows, one request each (Jaeger's search needs a service), and a Jaeger may
 * know thousands: all at once, they took one open file (socket) each, failed with EMFILE under
 * the usual limit of 1024, and held every answer at once. Eight in flight still overlap the
 * round trips of a remote Jaeger (100 services in about 13 rounds), keep a handful of sockets
 * whatever the number of services, and hold at most 8 answers at once (each within
 * `maxAnswerBytes`, 64 MiB by default; reading and parsing one takes several times its size),
 * without sending a Jaeger storage more parallel searches than a few people using its UI would.
 */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 8;

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * The few calls of Jaeger's HTTP query API this tool needs. Every answer is read with a size
 * limit and checked against the shape this tool reads; anything else is a {@link JaegerError}
 * subclass whose message is one line that never contains the credentials of `JAEGER_URL`.
 */
export class JaegerClient {
  readonly #endpoint: QueryEndpoint;
  readonly #limit: ConcurrencyLimit;
  readonly #largeAnswers: ConcurrencyLimit;

  /**
   * @param jaegerUrl `JAEGER_URL`: may carry a path (Jaeger's `base_path`) and
   * `user:password@` (sent as HTTP Basic authentication).
   * @throws {EndpointUrlError} when the URL cannot be used (not http(s), a query, bad encoding).
   * @throws {RangeError} when `maxConcurrentRequests` is not a whole number of at least 1.
   */
  constructor(jaegerUrl: string | URL, options: JaegerClientOptions = {}) {
    this.#limit = new ConcurrencyLimit(options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS);
    this.#largeAnswers = new ConcurrencyLimit(options.maxLargeAnswersAtOnce ?? DEFAULT_MAX_LARGE_ANSWERS_AT_ONCE);
    this.#endpoint = new QueryEndpoint(jaegerUrl, { name: 'Jaeger', variable: 'JAEGER_URL' }, {
      maxAnswerBytes: options.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      largeBodies: { thresholdBytes: options.largeAnswerBytes ?? DEFAULT_LARGE_ANSWER_BYTES, slots: this.#largeAnswers },
    });
  }

  /** The most answers over `largeAnswerBytes` this client ever read at once. */
  get largeAnswersReadAtOnce(): number {
    return this.#largeAnswers.peak;
  }

  /** The query address, without credentials, ending in `/`; API paths resolve under it. */
  get baseUrl(): URL {
    return this.#endpoint.baseUrl;
  }

  /** The query address as messages show it (no credentials, no trailing `/`). */
  get displayUrl(): string {
    return this.#endpoint.displayUrl;
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

  /**
   * One GET within the concurrency limit: its slot is held until the answer is read and
   * parsed, so that at most that many answers are in memory at once, as bytes or as JSON.
   */
  async #get<T>(path: string, query: Record<string, string>, parse: (body: unknown) => T, signal: AbortSignal | undefined): Promise<T> {
    return this.#limit.run(() => this.#getNow(path, query, parse, signal), signal);
  }

  async #getNow<T>(path: string, query: Record<string, string>, parse: (body: unknown) => T, signal: AbortSignal | undefined): Promise<T> {
    const shown = `/${path}`;
    let answer: LimitedAnswer;
    try {
      answer = await this.#endpoint.get(path, query, signal);
    } catch (error) {
      if (!(error instanceof HttpGetError)) throw error;
      const message = this.#endpoint.describeFailure(error.failure, shown, {
        noAnswer: 'Is it running? Set JAEGER_URL to its query address (UI port, 16686 by default).',
        status: 'is JAEGER_URL its query address?',
        tooLarge: 'narrow the search with --since, --limit or --service',
      });
      // Too large is an answer the command cannot use; local, this machine failing (Jaeger was
      // never asked); the rest, Jaeger not answering.
      if (error.failure.kind === 'too-large') throw new JaegerAnswerError(message, { cause: error });
      if (error.failure.kind === 'local') throw new JaegerError(message, { cause: error });
      throw new JaegerUnavailableError(message, { cause: error });
    }
    const body = this.#json(answer, shown);
    try {
      return parse(body);
    } catch (error) {
      if (!(error instanceof AnswerShapeError)) throw error;
      throw new JaegerAnswerError(`${this.#endpoint.at} answered ${shown} with an unexpected shape: ${error.message}`, { cause: error });
    }
  }

  /** The body as JSON, or a message saying what it was instead. */
  #json(answer: LimitedAnswer, shown: string): unknown {
    const at = `${this.#endpoint.at} answered ${shown}`;
    const text = decodeAnswerText(answer.bytes);
    if (text === undefined) throw new JaegerAnswerError(`${at} with bytes that are not UTF-8 text`);
    try {
      return JSON.parse(text);
    } catch (error) {
      if (answer.contentType?.includes('json') === true) {
        const detail = error instanceof Error ? error.message : String(error);
        throw new JaegerAnswerError(`${at} with malformed JSON (${detail})`, { cause: error });
      }
      throw new JaegerAnswerError(`${at} with ${describeNotJson(text, answer.contentType)}; is JAEGER_URL its query address?`, { cause: error });
    }
  }
}
