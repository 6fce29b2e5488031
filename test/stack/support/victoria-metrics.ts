import { builtBinary } from './observability-stack.ts';
import { startVictoriaProgram, type VictoriaProgram } from './victoria-program.ts';

/**
 * VictoriaMetrics' `-search.latencyOffset`, in milliseconds: it evaluates no query at a time
 * closer than this to now (it moves the time back, and a range query's last points repeat the
 * one before). Its default, 30 s, would keep the Monitor tab half a minute behind the requests.
 */
export const VICTORIAMETRICS_LATENCY_OFFSET_MS = 1000;

/**
 * The flags VictoriaMetrics runs with, in the end-to-end tests and in docker-compose.yml alike
 * (beside its data path and listen address):
 * - `-opentelemetry.usePrometheusNaming`: OTLP names become the Prometheus ones Jaeger's
 *   Monitor tab queries (`traces.span.metrics.calls` -> `traces_span_metrics_calls_total`,
 *   `service.name` -> `service_name`);
 * - `-search.latencyOffset=1s` ({@link VICTORIAMETRICS_LATENCY_OFFSET_MS});
 * - `-retentionPeriod=30d`: how long the metrics are kept.
 */
export const VICTORIAMETRICS_FLAGS: readonly string[] = [
  '-opentelemetry.usePrometheusNaming',
  `-search.latencyOffset=${VICTORIAMETRICS_LATENCY_OFFSET_MS / 1000}s`,
  '-retentionPeriod=30d',
];

/**
 * A running VictoriaMetrics: one HTTP port on loopback for OTLP ingestion, the Prometheus query
 * API and its UI (`baseUrl`: `/health`, `/api/v1/query`, `/opentelemetry/v1/metrics`, `/vmui`).
 */
export type VictoriaMetrics = VictoriaProgram;

/**
 * Starts VictoriaMetrics (tools/stack/build-victoriametrics.sh; the first run builds it) on a
 * free port of 127.0.0.1 with {@link VICTORIAMETRICS_FLAGS} and a new temporary data
 * directory, and resolves once `/health` answers 2xx.
 */
export function startVictoriaMetrics(binary: string = builtBinary('build-victoriametrics.sh')): Promise<VictoriaMetrics> {
  return startVictoriaProgram({ what: 'VictoriaMetrics', binary, flags: VICTORIAMETRICS_FLAGS });
}

/** One series of an instant query's answer: its labels and its value at the query's time. */
export interface InstantSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * `GET /api/v1/query?query=…` (PromQL / MetricsQL): the series of the answer, each with its
 * value. `atMs` (epoch milliseconds) evaluates the query at that time instead of now; note
 * that VictoriaMetrics moves an evaluation time within `-search.latencyOffset` (1 s) of now
 * back to now minus that offset.
 */
export async function queryMetrics(baseUrl: string, query: string, atMs?: number): Promise<InstantSample[]> {
  const url = new URL('/api/v1/query', baseUrl);
  url.searchParams.set('query', query);
  if (atMs !== undefined) url.searchParams.set('time', (atMs / 1000).toFixed(3));
  // No answer from VictoriaMetrics' rollup cache: a test asks again as samples arrive.
  url.searchParams.set('nocache', '1');
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaMetrics answered ${response.status} to ${url.href}: ${text}`);
  const answer = JSON.parse(text) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
  return answer.data.result.map(({ metric, value }) => ({ labels: metric, value: Number(value[1]) }));
}

/** `GET /api/v1/series?match[]=…`: the label sets of every series the selector matches (over the last day). */
export async function seriesOf(baseUrl: string, selector: string): Promise<Readonly<Record<string, string>>[]> {
  const url = new URL('/api/v1/series', baseUrl);
  url.searchParams.set('match[]', selector);
  url.searchParams.set('start', String(Math.floor(Date.now() / 1000) - 86_400));
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaMetrics answered ${response.status} to ${url.href}: ${text}`);
  return (JSON.parse(text) as { data: Record<string, string>[] }).data;
}

/** One series' raw samples, as `/api/v1/export` returns them. */
export interface RawSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: readonly number[];
  /** Epoch milliseconds, ascending; one per value. */
  readonly timestamps: readonly number[];
}

/**
 * `GET /api/v1/export?match[]=…`: the raw samples of every series the selector matches, as
 * stored (a sample becomes visible a second or two after it was written).
 */
export async function exportSeries(baseUrl: string, selector: string): Promise<RawSeries[]> {
  const url = new URL('/api/v1/export', baseUrl);
  url.searchParams.set('match[]', selector);
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`VictoriaMetrics answered ${response.status} to ${url.href}: ${text}`);
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const { metric, values, timestamps } = JSON.parse(line) as { metric: Record<string, string>; values: number[]; timestamps: number[] };
      return { labels: metric, values, timestamps };
    });
}
