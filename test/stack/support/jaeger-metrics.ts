/** What Jaeger's Monitor tab asks for: request rates, error ratios or a latency quantile (`/api/metrics/<kind>`). */
export type JaegerMetricKind = 'calls' | 'errors' | 'latencies';

/** One question to Jaeger's metrics API about one service, answered per operation. */
export interface OperationMetricsQuery {
  readonly service: string;
  /** Which spans' series (`spanKind`); Jaeger's default, and the Monitor tab's, is `server`. */
  readonly spanKind?: 'server' | 'client';
  /** For `latencies`: the quantile (default 0.95, Jaeger's). */
  readonly quantile?: number;
  /** The time of the point read, epoch milliseconds (`endTs`). */
  readonly atMs: number;
  /**
   * The window each rate is taken over (`rate(…[ratePer])`), in milliseconds: 1 s to 60 s
   * exclusive. Jaeger 2.13 writes it into the query as Go prints the duration, cut after the
   * first unit letter, so 90 s becomes `1m` and 500 ms becomes `500m` (minutes).
   */
  readonly ratePerMs: number;
}

/** A metric family as Jaeger's API answers it (protobuf JSON). */
interface MetricFamily {
  readonly metrics?: readonly {
    readonly labels: readonly { name: string; value: string }[];
    readonly metricPoints?: readonly { gaugeValue?: { doubleValue?: number | string }; timestamp: string }[];
  }[];
}

/**
 * `GET /api/metrics/<kind>?service=…&groupByOperation=true`: each operation's value at `atMs`
 * exactly (a range of one millisecond: `lookback` and `step` 1 ms), as Jaeger computes it from
 * its metric backend's `rate(...[ratePer])`, by operation name. An operation with no point at
 * `atMs` is left out (Jaeger leaves out those without errors when some have).
 * @throws {Error} for a `ratePerMs` Jaeger would cut, or an answer other than 200.
 */
export async function operationMetrics(queryUrl: string, kind: JaegerMetricKind, query: OperationMetricsQuery): Promise<Map<string, number>> {
  if (query.ratePerMs < 1000 || query.ratePerMs >= 60_000) {
    throw new Error(`ratePer ${query.ratePerMs} ms: Jaeger 2.13 cuts a duration after its first unit; use 1 s to 60 s (exclusive)`);
  }
  const url = new URL(`/api/metrics/${kind}`, queryUrl);
  url.searchParams.set('service', query.service);
  url.searchParams.set('groupByOperation', 'true');
  url.searchParams.set('spanKind', query.spanKind ?? 'server');
  if (query.quantile !== undefined) url.searchParams.set('quantile', String(query.quantile));
  url.searchParams.set('endTs', String(query.atMs));
  url.searchParams.set('lookback', '1');
  url.searchParams.set('step', '1');
  url.searchParams.set('ratePer', String(query.ratePerMs));
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} to ${url.href}: ${text.slice(0, 2000)}`);
  const family = JSON.parse(text) as MetricFamily;
  const byOperation = new Map<string, number>();
  for (const metric of family.metrics ?? []) {
    const operation = metric.labels.find((label) => label.name === 'operation')?.value;
    const point = metric.metricPoints?.find((candidate) => Date.parse(candidate.timestamp) === query.atMs);
    if (operation !== undefined && point !== undefined) byOperation.set(operation, Number(point.gaugeValue?.doubleValue ?? Number.NaN));
  }
  return byOperation;
}
