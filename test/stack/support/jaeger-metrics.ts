/** The Monitor tab's three queries in Jaeger's API: `/api/metrics/<kind>`. */
export type JaegerMetricKind = 'calls' | 'errors' | 'latencies';

/** One query of the Monitor tab's API, for one service's server spans, grouped by operation. */
export interface JaegerMetricsQuery {
  readonly service: string;
  /** The time of the last point (epoch milliseconds). */
  readonly endTsMs: number;
  /** From `endTsMs - lookbackMs` to `endTsMs`, one point every `stepMs`. */
  readonly lookbackMs: number;
  readonly stepMs: number;
  /**
   * The window each rate is taken over (PromQL `rate(…[ratePer])`). Between 1 s and 60 s
   * exclusive: Jaeger 2.13 writes it into the query as Go prints the duration, cut after the
   * first unit letter, so 90 s becomes `1m` and 500 ms becomes `500m` (minutes).
   */
  readonly ratePerMs: number;
  /** For `latencies`: the quantile (default 0.95). */
  readonly quantile?: number;
}

/** A metric family as Jaeger's API answers it (protobuf JSON). */
interface MetricFamily {
  readonly metrics?: readonly {
    readonly labels: readonly { name: string; value: string }[];
    readonly metricPoints?: readonly { gaugeValue?: { doubleValue?: number | string }; timestamp: string }[];
  }[];
}

/**
 * `GET /api/metrics/<kind>?service=…&groupByOperation=true&spanKind=server&…`: the value of
 * each operation's point at `endTsMs` (NaN where the store had none), by operation name.
 * @throws {Error} for a `ratePerMs` Jaeger would cut, or an answer other than 200.
 */
export async function operationMetrics(queryUrl: string, kind: JaegerMetricKind, query: JaegerMetricsQuery): Promise<Map<string, number>> {
  if (query.ratePerMs < 1000 || query.ratePerMs >= 60_000) {
    throw new Error(`ratePer ${query.ratePerMs} ms: Jaeger 2.13 cuts a duration after its first unit; use 1 s to 60 s (exclusive)`);
  }
  const url = new URL(`/api/metrics/${kind}`, queryUrl);
  url.searchParams.set('service', query.service);
  url.searchParams.set('groupByOperation', 'true');
  url.searchParams.set('spanKind', 'server');
  url.searchParams.set('endTs', String(query.endTsMs));
  url.searchParams.set('lookback', String(query.lookbackMs));
  url.searchParams.set('step', String(query.stepMs));
  url.searchParams.set('ratePer', String(query.ratePerMs));
  if (kind === 'latencies') url.searchParams.set('quantile', String(query.quantile ?? 0.95));
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} to ${url.href}: ${text.slice(0, 2000)}`);
  const family = JSON.parse(text) as MetricFamily;
  const byOperation = new Map<string, number>();
  for (const metric of family.metrics ?? []) {
    const operation = metric.labels.find((label) => label.name === 'operation')?.value;
    const point = metric.metricPoints?.find((candidate) => Date.parse(candidate.timestamp) === query.endTsMs);
    if (operation !== undefined && point !== undefined) byOperation.set(operation, Number(point.gaugeValue?.doubleValue ?? Number.NaN));
  }
  return byOperation;
}
