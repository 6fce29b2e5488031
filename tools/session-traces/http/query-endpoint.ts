import { parseEndpointUrl } from './endpoint-url.ts';
import { getLimited, type GetFailure, type LimitedAnswer } from './http-get.ts';
import type { LargeBodyGate } from './read-limited-body.ts';

/** Which service a {@link QueryEndpoint} is, for messages. */
export interface QueryService {
  /** e.g. `Jaeger`. */
  readonly name: string;
  /** The environment variable its URL comes from, e.g. `JAEGER_URL`. */
  readonly variable: string;
}

/** Limits of the requests to a {@link QueryEndpoint}. */
export interface QueryLimits {
  /** Largest answer read, in bytes (decompressed). */
  readonly maxAnswerBytes: number;
  /** Time for one request, from connecting to the end of the answer. */
  readonly requestTimeoutMs: number;
  /** Where a large answer waits before being read further; none: every answer is read at once. */
  readonly largeBodies?: LargeBodyGate | undefined;
}

/** What a message about a failed GET advises, by failure. */
export interface FailureAdvice {
  /** After "did not answer (ECONNREFUSED).", e.g. `Is it running? …`. */
  readonly noAnswer: string;
  /** After a status other than 401 and 403, e.g. `is JAEGER_URL its query address?`. */
  readonly status: string;
  /** After "more than the 64 MiB limit;", e.g. `narrow the search with --since`. */
  readonly tooLarge: string;
}

/**
 * A query API at the base URL of an environment variable (`JAEGER_URL`, `VICTORIALOGS_URL`):
 * its paths resolve under the URL's path, its credentials go in an Authorization header and
 * never into what is shown.
 */
export class QueryEndpoint {
  /** The address, without credentials, ending in `/`; API paths resolve under it. */
  readonly baseUrl: URL;
  /** The address as messages show it (no credentials, no trailing `/`). */
  readonly displayUrl: string;
  readonly #service: QueryService;
  readonly #authorization: string | undefined;
  readonly #limits: QueryLimits;

  /** @throws {EndpointUrlError} for a URL {@link parseEndpointUrl} refuses. */
  constructor(url: string | URL, service: QueryService, limits: QueryLimits) {
    const endpoint = parseEndpointUrl(String(url), service.variable);
    this.baseUrl = endpoint.base;
    this.displayUrl = endpoint.base.href.replace(/\/$/, '');
    this.#service = service;
    this.#authorization = endpoint.authorization;
    this.#limits = limits;
  }

  /** `Jaeger at http://…`: how every message about this service starts. */
  get at(): string {
    return `${this.#service.name} at ${this.displayUrl}`;
  }

  /**
   * `GET <base><path>?<query>`, accepting JSON, the body read whole within the limits.
   * @throws {HttpGetError} saying why there is no usable body; the signal's reason when aborted.
   */
  async get(path: string, query: Readonly<Record<string, string>>, signal: AbortSignal | undefined): Promise<LimitedAnswer> {
    // Relative to the base, so a base path such as /jaeger/ is kept.
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#authorization !== undefined) headers['authorization'] = this.#authorization;
    return getLimited({ url, headers, maxBytes: this.#limits.maxAnswerBytes, timeoutMs: this.#limits.requestTimeoutMs, signal, largeBodies: this.#limits.largeBodies });
  }

  /** One line saying why the GET of `shown` (e.g. `/api/traces`) failed, and what to try. */
  describeFailure(failure: GetFailure, shown: string, advice: FailureAdvice): string {
    switch (failure.kind) {
      case 'local': {
        // EMFILE is the process's own limit, which the user can raise; the others are the machine's.
        const hint = failure.code === 'EMFILE' ? '; raise the open-file limit (ulimit -n)' : '';
        return `${this.at} could not be asked: this machine could not open a connection (${failure.reason})${hint}`;
      }
      case 'no-answer':
        return `${this.at} did not answer (${failure.reason}). ${advice.noAnswer}`;
      case 'status':
        return `${this.at} answered ${failure.status} to ${shown}; ${this.#statusHint(failure.status) ?? advice.status}`;
      case 'too-large':
        return `${this.at} answered ${shown} with more than the ${failure.limit} limit; ${advice.tooLarge}`;
      case 'cut-off':
        return `${this.at} stopped answering ${shown} part-way (${failure.reason})`;
    }
  }

  /** What to try after a 401 or 403; `undefined` after another status. */
  #statusHint(status: number): string | undefined {
    if (status !== 401 && status !== 403) return undefined;
    const { variable } = this.#service;
    return this.#authorization === undefined
      ? `it needs credentials: put them in ${variable} as http://user:password@host… (sent as Basic authentication)`
      : `it refused the credentials in ${variable}`;
  }
}
