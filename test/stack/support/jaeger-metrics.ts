/** What Jaeger's Monitor tab asks for: request rates, error ratios or a latency quantile. */
export type JaegerMetricKind = 'calls' | 'errors' | 'latencies';

/** One question to Jaeger's metrics API about one service, answered per operation. */
export interface OperationMetricsQuery {
  readonly service: string;
  /** Which spans' series (`spanKind`); Jaeger's default, and the Monitor tab's, is `server`. */
  readonly spanKind?: 'server' | 'client';
  /** For `latencies`: the quantile (0.5, 0.95, 0.99). */
  readonly quantile?: number;
  /** The time of the answer, epoch milliseconds (`endTs`). */
  readonly atMs: number;
  /** The rate window (`ratePer`), in milliseconds; under a minute, since Jaeger keeps one unit of it. */
  readonly ratePerMs: number;
}

/**
 * `GET /api/metrics/<kind>?service=…&groupByOperation=true`: each operation's value at
 * `atMs` exactly (a range of one millisecond: `lookback` and `step` 1 ms), as Jaeger computes
 * it from its metric backend's `rate(...[ratePer])`. Throws when an operation has no point at
 * `atMs`, with the answer.
 */
export async function operationMetrics(queryUrl: string, kind: JaegerMetricKind, query: OperationMetricsQuery): Promise<Map<string, number>> {
  if (query.ratePerMs >= 60_000) {
    // Jaeger turns ratePer into a PromQL duration by keeping its first unit: 1m30s becomes 1m.
    throw new Error(`ratePer ${query.ratePerMs} ms is a minute or more, which Jaeger would cut to whole minutes`);
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
  if (!response.ok) throw new Error(`Jaeger answered ${response.status} to ${url.href}: ${text}`);
  const answer = JSON.parse(text) as {
    metrics?: { labels: { name: string; value: string }[]; metricPoints: { gaugeValue: { doubleValue: number }; timestamp: string }[] }[];
  };
  const byOperation = new Map<string, number>();
  for (const metric of answer.metrics ?? []) {
    const operation = metric.labels.find((label) => label.name === 'operation')?.value ?? '?';
    const point = metric.metricPoints.find((candidate) => Date.parse(candidate.timestamp) === query.atMs);
    if (point === undefined) throw new Error(`Jaeger's ${kind} of ${operation} has no point at ${new Date(query.atMs).toISOString()}: ${text}`);
    byOperation.set(operation, point.gaugeValue.doubleValue);
  }
  return byOperation;
}
