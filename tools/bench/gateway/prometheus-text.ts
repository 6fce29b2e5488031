/**
 * Reading the collector's own metrics (its Prometheus endpoint, `service.telemetry.metrics`):
 * the gateway benchmark counts spans by what the gateway says it accepted, refused and sent.
 */

/** One sample of the text exposition format: name, labels, value. */
export interface PrometheusSample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Every sample of a Prometheus text exposition (comments and blank lines skipped). */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = SAMPLE.exec(trimmed);
    if (match === null) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(LABEL)) labels[label[1] ?? ''] = (label[2] ?? '').replace(/\\(.)/g, (_, character: string) => (character === 'n' ? '\n' : character));
    samples.push({ name: match[1] ?? '', labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of every sample named `name` (all label sets), 0 when there is none. */
export function sumOf(samples: readonly PrometheusSample[], name: string): number {
  return samples.filter((sample) => sample.name === name).reduce((sum, sample) => sum + sample.value, 0);
}

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
  const counter = (name: string): number => sumOf(samples, name) + sumOf(samples, `${name}_total`);
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
