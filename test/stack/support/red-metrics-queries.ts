/**
 * The PromQL queries docs/metrics.md gives for one service's RED metrics per route (here
 * `api`; VictoriaMetrics answers them, as would Prometheus). The end-to-end test runs each
 * against VictoriaMetrics, with the window it measured in place of `[5m]`
 * (test/stack/e2e/red-metrics.test.ts), and a unit test checks that the page shows each one
 * verbatim (test/stack/unit/metrics-docs.test.ts): the queries a reader copies are the ones
 * proven.
 */
export const RED_METRICS_QUERIES = {
  /** Requests counted per route since the collector started (a counter). */
  requests: 'sum by (span_name) (traces_span_metrics_calls_total{service_name="api"})',
  /** Requests per second per route, averaged over the last 5 minutes. */
  requestRate: 'sum by (span_name) (rate(traces_span_metrics_calls_total{service_name="api"}[5m]))',
  /**
   * The share of requests that failed (span status error: a 5xx answer, or a connection
   * closed before the answer) per route; 0 for a route without failures, which the plain
   * division would leave out.
   */
  errorRatio:
    '(sum by (span_name) (rate(traces_span_metrics_calls_total{service_name="api", status_code="STATUS_CODE_ERROR"}[5m]))' +
    ' or sum by (span_name) (rate(traces_span_metrics_calls_total{service_name="api"}[5m])) * 0)' +
    ' / sum by (span_name) (rate(traces_span_metrics_calls_total{service_name="api"}[5m]))',
  /** The 99th percentile of the request duration per route, in milliseconds. */
  p99: 'histogram_quantile(0.99, sum by (span_name, le) (rate(traces_span_metrics_duration_milliseconds_bucket{service_name="api"}[5m])))',
} as const;

/** The window every windowed query of {@link RED_METRICS_QUERIES} is written with. */
export const RED_METRICS_QUERY_WINDOW = '[5m]';
