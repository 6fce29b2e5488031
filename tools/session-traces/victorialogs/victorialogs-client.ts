import { AnswerShapeError, decodeAnswerText, describeNotJson, HttpGetError, QueryEndpoint, type LimitedAnswer } from '../http/index.ts';
import { exactMatch } from './logsql-filter.ts';
import { parseLogsAnswer, type LogLine } from './victorialogs-answer.ts';
import { VictoriaLogsError } from './victorialogs-error.ts';

/** A search of the stored log lines. */
export interface LogSearch {
  /** The field every line found has, `session.id` or `user.id`, and its exact value. */
  readonly field: string;
  readonly value: string;
  /** Window start, epoch milliseconds. */
  readonly sinceMs: number;
  /** Most lines returned; VictoriaLogs keeps the newest. */
  readonly limit: number;
}

/** Limits of {@link VictoriaLogsClient}; every field is optional. */
export interface VictoriaLogsClientOptions {
  /** Largest answer read, in bytes (decompressed). Default 64 MiB. */
  readonly maxAnswerBytes?: number;
  /** Time for one request, from connecting to the end of the answer. Default 10 s. */
  readonly requestTimeoutMs?: number;
}

const QUERY_PATH = 'select/logsql/query';

/**
 * The one call of VictoriaLogs' HTTP query API the lookup needs. The answer is read with a
 * size limit and every line checked against the shape the lookup reads; anything else is a
 * {@link VictoriaLogsError} whose message is one line that never contains the credentials of
 * `VICTORIALOGS_URL`.
 */
export class VictoriaLogsClient {
  readonly #endpoint: QueryEndpoint;

  /**
   * @param victoriaLogsUrl `VICTORIALOGS_URL`: may carry a path (a proxy's prefix) and
   * `user:password@` (sent as HTTP Basic authentication).
   * @throws {EndpointUrlError} when the URL cannot be used (not http(s), a query, bad encoding).
   */
  constructor(victoriaLogsUrl: string | URL, options: VictoriaLogsClientOptions = {}) {
    this.#endpoint = new QueryEndpoint(victoriaLogsUrl, { name: 'VictoriaLogs', variable: 'VICTORIALOGS_URL' }, {
      maxAnswerBytes: options.maxAnswerBytes ?? 64 * 1024 * 1024,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    });
  }

  /** The store's address, without credentials, ending in `/` (`victoriaLogsUrl` of `--json`). */
  get baseUrl(): URL {
    return this.#endpoint.baseUrl;
  }

  /** The store's address as messages show it (no credentials, no trailing `/`). */
  get displayUrl(): string {
    return this.#endpoint.displayUrl;
  }

  /**
   * `GET select/logsql/query?query="<field>":="<value>"&start=<RFC 3339>&limit=<n>`: one
   * query for the whole window, whose lines come in the store's order (the lookup sorts them).
   * @param signal aborts the request; the promise then rejects with the signal's reason.
   * @throws {VictoriaLogsError} when the store cannot be asked or answers something unusable.
   */
  async query(search: LogSearch, signal?: AbortSignal): Promise<LogLine[]> {
    const query = {
      query: exactMatch(search.field, search.value),
      start: new Date(search.sinceMs).toISOString(),
      limit: String(search.limit),
    };
    let answer: LimitedAnswer;
    try {
      answer = await this.#endpoint.get(QUERY_PATH, query, signal);
    } catch (error) {
      if (!(error instanceof HttpGetError)) throw error;
      const message = this.#endpoint.describeFailure(error.failure, `/${QUERY_PATH}`, {
        noAnswer: 'Is it running? Set VICTORIALOGS_URL to its address (port 9428 by default).',
        status: 'is VICTORIALOGS_URL its address?',
        tooLarge: 'narrow the search with --since',
      });
      throw new VictoriaLogsError(message, { cause: error });
    }
    return this.#lines(answer);
  }

  /** The answer's lines, or a message saying what it was instead. */
  #lines(answer: LimitedAnswer): LogLine[] {
    const at = `${this.#endpoint.at} answered /${QUERY_PATH}`;
    const text = decodeAnswerText(answer.bytes);
    if (text === undefined) throw new VictoriaLogsError(`${at} with bytes that are not UTF-8 text`);
    // VictoriaLogs answers application/stream+json, also when nothing matched (an empty body).
    if (text.trim() !== '' && answer.contentType?.includes('json') !== true) {
      throw new VictoriaLogsError(`${at} with ${describeNotJson(text, answer.contentType)}; is VICTORIALOGS_URL its address?`);
    }
    try {
      return parseLogsAnswer(text);
    } catch (error) {
      if (!(error instanceof AnswerShapeError)) throw error;
      throw new VictoriaLogsError(`${at} with an unexpected shape: ${error.message}`, { cause: error });
    }
  }
}
