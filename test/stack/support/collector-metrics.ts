import { COLLECTOR_PORTS } from './observability-stack.ts';

/**
 * The value of the collector's own counter `name` (its Prometheus endpoint on
 * 127.0.0.1:8888), summed over the series whose labels include every one of `labels`; 0 when
 * no such series exists yet (the collector creates a series on its first increment).
 * Matches the name with or without the `_total` suffix.
 */
export async function collectorCounter(name: string, labels: Readonly<Record<string, string>>): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${COLLECTOR_PORTS.metrics}/metrics`);
  if (!response.ok) throw new Error(`the collector's metrics endpoint answered ${response.status}`);
  const wanted = Object.entries(labels).map(([label, value]) => `${label}=${JSON.stringify(value)}`);
  let sum = 0;
  for (const line of (await response.text()).split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (sample === null || (sample[1] !== name && sample[1] !== `${name}_total`)) continue;
    const seriesLabels = sample[2] ?? '';
    if (wanted.every((label) => seriesLabels.includes(label))) sum += Number(sample[3]);
  }
  return sum;
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
