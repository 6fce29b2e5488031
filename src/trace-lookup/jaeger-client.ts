/** A span as Jaeger's query API (`GET /api/traces`) returns it. */
export interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly references?: readonly { readonly refType: string; readonly spanID: string }[];
  /** Microseconds since the epoch. */
  readonly startTime: number;
  /** Microseconds. */
  readonly duration: number;
  readonly tags: readonly { readonly key: string; readonly value: unknown }[];
  readonly processID: string;
}

/** A trace as Jaeger's query API returns it. */
export interface JaegerTrace {
  readonly traceID: string;
  readonly spans: readonly JaegerSpan[];
  readonly processes: Readonly<Record<string, { readonly serviceName: string }>>;
}

/** Jaeger did not answer, or answered with an error: the lookup cannot say anything. */
export class JaegerUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JaegerUnavailableError';
  }
}

/** A search of one service's traces. */
export interface TraceSearch {
  readonly service: string;
  /** Tags every returned trace has, e.g. `{"session.id": "…"}`. */
  readonly tags: Readonly<Record<string, string>>;
  /** Window start, epoch milliseconds. */
  readonly sinceMs: number;
  readonly limit: number;
}

const REQUEST_TIMEOUT_MS = 10_000;

/** The few calls of Jaeger's HTTP query API this tool needs. */
export class JaegerClient {
  readonly baseUrl: URL;

  constructor(baseUrl: string | URL) {
    this.baseUrl = new URL(baseUrl);
  }

  /** `GET /api/services`: every service Jaeger has traces of. */
  async services(): Promise<string[]> {
    return (await this.#get<string[] | null>('/api/services', {})) ?? [];
  }

  /**
   * `GET /api/traces?service=…&tags=…&start=…&end=…&limit=…`. (The v3 API ignores tag
   * filters in Jaeger 2.13, so the v1 search is used.)
   */
  async searchTraces(search: TraceSearch): Promise<JaegerTrace[]> {
    return (
      (await this.#get<JaegerTrace[] | null>('/api/traces', {
        service: search.service,
        tags: JSON.stringify(search.tags),
        start: String(search.sinceMs * 1000),
        end: String(Date.now() * 1000),
        limit: String(search.limit),
      })) ?? []
    );
  }

  /** Link to one trace in the Jaeger UI. */
  traceUrl(traceId: string): string {
    return new URL(`/trace/${traceId}`, this.baseUrl).href;
  }

  /** Link to a search in the Jaeger UI. */
  searchUrl(service: string, tags: Readonly<Record<string, string>>): string {
    const url = new URL('/search', this.baseUrl);
    url.searchParams.set('service', service);
    url.searchParams.set('tags', JSON.stringify(tags));
    return url.href;
  }

  async #get<T>(path: string, query: Record<string, string>): Promise<T> {
    const url = new URL(path, this.baseUrl);
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error instanceof Error ? error.name : 'no answer');
      throw new JaegerUnavailableError(
        `Jaeger at ${this.baseUrl.origin} did not answer (${reason}). Is it running? Set JAEGER_URL to its query address (UI port, 16686 by default).`,
        { cause: error },
      );
    }
    if (!response.ok) {
      throw new JaegerUnavailableError(`Jaeger at ${this.baseUrl.origin} answered ${response.status} to ${path}; is JAEGER_URL its query address?`);
    }
    try {
      return ((await response.json()) as { data: T }).data;
    } catch (error) {
      throw new JaegerUnavailableError(`Jaeger at ${this.baseUrl.origin} did not answer ${path} with JSON; is JAEGER_URL its query address?`, { cause: error });
    }
  }
}
