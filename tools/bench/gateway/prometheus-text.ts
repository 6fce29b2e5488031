import { parsePrometheusText, sumOf } from '../../../test/stack/support/collector-metrics.ts';

/**
 * Reading the collector's own metrics (its Prometheus endpoint, `service.telemetry.metrics`):
 * the gateway benchmark counts spans by what the gateway says it accepted, refused and sent.
 */

/** What the gateway has counted of spans so far. */
export interface GatewaySpanCounts {
  readonly accepted: number;
  readonly refused: number;
  readonly sent: number;
  readonly sendFailed: number;
  /** Traces tail sampling has decided (kept or not), and those it let go undecided to make room (num_traces). */
  readonly decidedTraces: number;
  readonly droppedTooEarly: number;
  /** Entries tail_sampling opened (one per trace id it had not seen; per session when the file keys them so). */
  readonly newEntries: number;
}

/**
 * The gateway's span counters from its metrics text. The collector's Prometheus reader names
 * counters without the `_total` suffix (v0.161.0, the pull reader of otel-gateway.yaml), the
 * Prometheus convention with it: either is read. A counter not yet exposed (nothing counted) is 0.
 */
export function gatewaySpanCounts(text: string): GatewaySpanCounts {
  const samples = parsePrometheusText(text);
  const counter = (name: string): number => sumOf(samples, name);
  return {
    accepted: counter('otelcol_receiver_accepted_spans'),
    refused: counter('otelcol_receiver_refused_spans'),
    sent: counter('otelcol_exporter_sent_spans'),
    sendFailed: counter('otelcol_exporter_send_failed_spans'),
    decidedTraces: counter('otelcol_processor_tail_sampling_global_count_traces_sampled'),
    droppedTooEarly: counter('otelcol_processor_tail_sampling_sampling_trace_dropped_too_early'),
    newEntries: counter('otelcol_processor_tail_sampling_new_trace_id_received'),
  };
}
