/**
 * The flags VictoriaMetrics runs with, beside where it keeps its data and listens: the same in
 * docker-compose.yml (the `victoriametrics` command, after `-storageDataPath`) and in the
 * end-to-end tests, so both stores answer alike (test/stack/e2e/compose-file.test.ts compares).
 * - `-opentelemetry.usePrometheusNaming`: OTLP metric names stored as Jaeger's Monitor tab
 *   queries them (`traces_span_metrics_calls_total`, `..._duration_milliseconds_bucket`).
 * - `-search.latencyOffset=1s`: the default (30 s) hides the last 30 s from queries, longer than
 *   the collector's flush interval: the Monitor tab would lag by half a minute.
 * - `-retentionPeriod=30d`: how long the metrics are kept (the default, 1M, is 31 days).
 */
export const VICTORIA_METRICS_FLAGS: readonly string[] = ['-opentelemetry.usePrometheusNaming', '-search.latencyOffset=1s', '-retentionPeriod=30d'];
