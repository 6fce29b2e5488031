import { COLLECTOR_PORTS } from './observability-stack.ts';

/** One sample of a collector's own metrics: a counter or gauge value with its labels (attributes). */
export interface MetricSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/**
 * The sum of the samples named `name` (with or without the Prometheus `_total` suffix) whose
 * labels include every one of `labels`; 0 when there is none (the collector creates a series
 * on its first increment).
 */
export function sumOf(samples: readonly MetricSample[], name: string, labels: Readonly<Record<string, string>> = {}): number {
  let sum = 0;
  for (const sample of samples) {
    if (sample.name !== name && sample.name !== `${name}_total`) continue;
    if (Object.entries(labels).every(([label, value]) => sample.labels[label] === value)) sum += sample.value;
  }
  return sum;
}

/**
 * Every sample of a Prometheus text exposition (a collector's `/metrics`): comments and blank
 * lines skipped, label values unescaped, an optional timestamp ignored.
 */
export function parsePrometheusText(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/.exec(trimmed);
    if (sample === null) continue;
    const labels: Record<string, string> = {};
    for (const [, label, value] of (sample[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[label ?? ''] = (value ?? '').replace(/\\(.)/g, (_, character: string) => (character === 'n' ? '\n' : character));
    }
    samples.push({ name: sample[1] ?? '', labels, value: Number(sample[3]) });
  }
  return samples;
}

/** Every sample a collector's Prometheus endpoint `url` (its `/metrics`) answers now. */
export async function collectorMetricsAt(url: string): Promise<MetricSample[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`the collector's metrics endpoint ${url} answered ${response.status}`);
  return parsePrometheusText(await response.text());
}

/**
 * The value of the collector's own counter `name` (its Prometheus endpoint on
 * 127.0.0.1:8888), summed over the series whose labels include every one of `labels`; 0 when
 * no such series exists yet (the collector creates a series on its first increment).
 * Matches the name with or without the `_total` suffix.
 */
export async function collectorCounter(name: string, labels: Readonly<Record<string, string>>): Promise<number> {
  return sumOf(await collectorMetricsAt(`http://127.0.0.1:${COLLECTOR_PORTS.metrics}/metrics`), name, labels);
}

/**
 * Log records the collector gave up on for `exporter`: failed after its retries, or refused
 * by a full sending queue. Records still queued or being retried are not counted.
 */
export async function logRecordsLostByCollector(exporter: string): Promise<number> {
  const failed = await collectorCounter('otelcol_exporter_send_failed_log_records', { exporter });
  const refused = await collectorCounter('otelcol_exporter_enqueue_failed_log_records', { exporter });
  return failed + refused;
}
