/** A span as Jaeger's query API (`/api/traces`) returns it. */
export interface JaegerSpan {
  readonly traceID: string;
  readonly spanID: string;
  readonly operationName: string;
  readonly processID: string;
  readonly tags: readonly { key: string; type: string; value: unknown }[];
}

/** A trace as Jaeger's query API returns it. */
export interface JaegerTrace {
  readonly traceID: string;
  readonly spans: readonly JaegerSpan[];
  readonly processes: Readonly<Record<string, { serviceName: string }>>;
}

/** The value of tag `key` of `span`, or undefined. */
export function tagOf(span: JaegerSpan, key: string): unknown {
  return span.tags.find((tag) => tag.key === key)?.value;
}

/** The service names of the spans of `trace`. */
export function servicesOf(trace: JaegerTrace): Set<string> {
  return new Set(trace.spans.map((span) => trace.processes[span.processID]?.serviceName ?? '?'));
}

/**
 * `GET /api/traces?service=…&tags=…`: the traces of `service` with all of `tags` since
 * `sinceMs` (epoch milliseconds).
 */
export async function searchTraces(
  queryUrl: string,
  service: string,
  tags: Readonly<Record<string, string>>,
  sinceMs: number,
): Promise<JaegerTrace[]> {
  const url = new URL('/api/traces', queryUrl);
  url.searchParams.set('service', service);
  url.searchParams.set('tags', JSON.stringify(tags));
  url.searchParams.set('start', String(sinceMs * 1000));
  url.searchParams.set('end', String((Date.now() + 60_000) * 1000));
  url.searchParams.set('limit', '1000');
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} to ${url.href}`);
  return ((await response.json()) as { data: JaegerTrace[] | null }).data ?? [];
}
