/** One series of a Prometheus query API answer (`/api/v1/query`), as VictoriaMetrics sends it. */
export interface PromSeries {
  readonly metric: Readonly<Record<string, string>>;
  /** An instant vector's one sample: [seconds since the epoch, value as text]. */
  readonly value?: readonly [number, string];
  /** A range vector's raw samples (`m[5m]`), oldest first. */
  readonly values?: readonly (readonly [number, string])[];
}

/**
 * `GET /api/v1/query?query=…[&time=…]` on a Prometheus-compatible store (VictoriaMetrics): the
 * series of the answer. `atMs` (epoch milliseconds) is the evaluation time, default now. A
 * range selector alone (`m[10m]`) answers the raw samples in the window. Sent with `nocache=1`:
 * VictoriaMetrics otherwise moves an evaluation time within its `-search.latencyOffset` of now
 * back to that offset.
 * @throws {Error} naming the query and the answer when the store answers anything but success.
 */
export async function promQuery(baseUrl: string, query: string, atMs?: number): Promise<PromSeries[]> {
  const url = new URL('/api/v1/query', baseUrl);
  url.searchParams.set('query', query);
  if (atMs !== undefined) url.searchParams.set('time', (atMs / 1000).toFixed(3));
  url.searchParams.set('nocache', '1');
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  const answer = (response.ok ? JSON.parse(text) : undefined) as { status: string; data: { result: PromSeries[] } } | undefined;
  if (answer?.status !== 'success') throw new Error(`${baseUrl} answered ${response.status} to ${query}: ${text.slice(0, 2000)}`);
  return answer.data.result;
}
