import type { RawSeries } from './victoria-metrics.ts';

/**
 * One flush of the collector's span_metrics connector as the store holds it: every series of
 * one collector instance gets a point with the same timestamp at each flush (cumulative
 * counts), so grouping the raw samples by instance and timestamp gives the counts a flush sent.
 */
export interface SpanMetricsFlush {
  /** `collector_instance_id`: a restarted collector starts new series from zero. */
  readonly instance: string;
  readonly timestampMs: number;
  /** Calls counted since the collector started, summed by span name (or the key `flushesOf` was given). */
  readonly calls: ReadonlyMap<string, number>;
}

/** The span name of a series: what flushes sum calls by unless told otherwise. */
const spanNameOf = (labels: Readonly<Record<string, string>>): string => labels['span_name'] ?? '';

/**
 * The flushes in the raw samples of `traces_span_metrics_calls_total` (as `exportSeries`
 * answers them), oldest first, their calls summed by `keyOf` of each series' labels (by
 * default the span name; e.g. service and span name when several services are read).
 */
export function flushesOf(series: readonly RawSeries[], keyOf: (labels: Readonly<Record<string, string>>) => string = spanNameOf): SpanMetricsFlush[] {
  const byKey = new Map<string, { instance: string; timestampMs: number; calls: Map<string, number> }>();
  for (const { labels, values, timestamps } of series) {
    const instance = labels['collector_instance_id'] ?? '';
    const spanName = keyOf(labels);
    timestamps.forEach((timestampMs, i) => {
      const key = `${instance} ${timestampMs}`;
      const flush = byKey.get(key) ?? { instance, timestampMs, calls: new Map<string, number>() };
      flush.calls.set(spanName, (flush.calls.get(spanName) ?? 0) + (values[i] ?? 0));
      byKey.set(key, flush);
    });
  }
  return [...byKey.values()].sort((a, b) => a.timestampMs - b.timestampMs);
}

/** Two flushes of one collector between which known calls were added, and nothing else. */
export interface CountedWindow {
  /** The last flush holding the counts of `baseline`. */
  readonly before: SpanMetricsFlush;
  /** The first flush holding the counts of `baseline` plus the calls added. */
  readonly after: SpanMetricsFlush;
}

/** `flush`'s count for each of the span names of `added`. */
const countsOf = (flush: SpanMetricsFlush, added: ReadonlyMap<string, number>): number[] =>
  [...added.keys()].map((name) => flush.calls.get(name) ?? 0);

/**
 * Where the calls `added` (by span name) show among `flushes`, counted from the flush
 * `baseline` names (one after which only those calls were made, by these names): the last flush
 * still at the baseline's counts and the first at the baseline's plus `added`; undefined while
 * the later one has not come yet. The baseline's counts are read from `flushes`, not from
 * `baseline`: a store may show a flush's series one after the other just after it was written,
 * and `flushes` is read later than `baseline` was.
 * @throws {Error} when `flushes` lacks the baseline, or a flush counts more calls than the
 *   baseline plus `added` (calls the test did not make).
 */
export function countedWindow(
  flushes: readonly SpanMetricsFlush[],
  baseline: Pick<SpanMetricsFlush, 'instance' | 'timestampMs'>,
  added: ReadonlyMap<string, number>,
): CountedWindow | undefined {
  const sameCollector = flushes.filter((flush) => flush.instance === baseline.instance);
  const first = sameCollector.find((flush) => flush.timestampMs === baseline.timestampMs);
  if (first === undefined) throw new Error(`No flush of collector ${baseline.instance} at ${new Date(baseline.timestampMs).toISOString()} among those given`);
  const start = countsOf(first, added);
  const target = start.map((count, i) => count + [...added.values()][i]!);
  let before = first;
  for (const flush of sameCollector) {
    if (flush.timestampMs <= baseline.timestampMs) continue;
    const counts = countsOf(flush, added);
    if (counts.some((count, i) => count > target[i]!)) {
      throw new Error(
        `The flush at ${new Date(flush.timestampMs).toISOString()} counts ${counts.join(', ')} calls of ${[...added.keys()].join(', ')}: more than the ${target.join(', ')} expected`,
      );
    }
    if (counts.every((count, i) => count === target[i])) return { before, after: flush };
    if (counts.every((count, i) => count === start[i])) before = flush;
  }
  return undefined;
}
