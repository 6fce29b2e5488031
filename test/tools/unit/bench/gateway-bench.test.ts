import { expect } from 'chai';
import { defaultDecisionWait, durationSeconds, numTraces, readGatewayConfig } from '../../../../tools/bench/gateway/gateway-process.ts';
import { gatewayFigures, gatewayTable, heldEntriesCeiling, keptUp, type GatewayMeasurement } from '../../../../tools/bench/gateway/gateway-report.ts';
import { encodeBatch, stampBatch } from '../../../../tools/bench/gateway/otlp-span-batches.ts';
import { ExportTraceServiceRequest, OTLP_TO_OBJECT } from '../../../stack/support/otlp-protobuf.ts';
import { gatewaySpanCounts } from '../../../../tools/bench/gateway/prometheus-text.ts';
import { parsePrometheusText } from '../../../stack/support/collector-metrics.ts';

interface DecodedSpan {
  traceId: string;
  parent: boolean;
  name: string;
  kind: number | undefined;
  statusCode: number | undefined;
  attributes: Record<string, string | number>;
}

/** A KeyValue as protobufjs decodes it (OTLP_TO_OBJECT). */
type DecodedKeyValue = { key: string; value?: { stringValue?: string; intValue?: number } };
type DecodedRequest = {
  resourceSpans: {
    resource?: { attributes: DecodedKeyValue[] };
    scopeSpans: {
      spans: { traceId: Uint8Array; parentSpanId?: Uint8Array; name?: string; kind?: number; status?: { code?: number }; attributes: DecodedKeyValue[] }[];
    }[];
  }[];
};

/** The spans of an ExportTraceServiceRequest, decoded as a collector would read them (protobufjs, otlp-protobuf.ts's schema). */
function decode(request: Buffer): { resource: Record<string, string | number>; spans: DecodedSpan[] } {
  const decoded = ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(request), OTLP_TO_OBJECT) as DecodedRequest;
  const attributes = (keyValues: readonly DecodedKeyValue[]): Record<string, string | number> =>
    Object.fromEntries(keyValues.map(({ key, value }) => [key, value?.stringValue ?? value?.intValue ?? Number.NaN]));
  expect(decoded.resourceSpans).to.have.length(1);
  const [resourceSpans] = decoded.resourceSpans;
  return {
    resource: attributes(resourceSpans?.resource?.attributes ?? []),
    spans: (resourceSpans?.scopeSpans[0]?.spans ?? []).map((span) => ({
      traceId: Buffer.from(span.traceId).toString('hex'),
      parent: span.parentSpanId !== undefined && span.parentSpanId.length > 0,
      name: span.name ?? '',
      kind: span.kind,
      statusCode: span.status?.code,
      attributes: attributes(span.attributes),
    })),
  };
}

describe('the gateway benchmark (npm run bench:gateway): its load, its counters and its figures', () => {
  it('encodes sessions of 3 requests of 3 spans with session.id, user.id and the HTTP attributes, a share of them failing', () => {
    const batch = encodeBatch({ sessions: 20, errorShare: 0.1 });
    expect(batch).to.include({ spans: 180, traces: 60, sessions: 20, errorSessions: 2 });
    const { resource, spans } = decode(batch.bytes);
    expect(resource['service.name']).to.equal('bench-service');
    expect(spans).to.have.length(180);
    expect(new Set(spans.map((span) => span.traceId)).size).to.equal(60);
    expect(new Set(spans.map((span) => span.attributes['session.id'])).size).to.equal(20);
    for (const span of spans) {
      expect(span.attributes['session.id']).to.match(/^[0-9a-f]{32}$/);
      expect(span.attributes['user.id']).to.match(/^user-[0-9a-f]{8}$/);
    }
    // Each trace: one server span without a parent, two children.
    const servers = spans.filter((span) => span.kind === 2);
    expect(servers).to.have.length(60);
    expect(servers.every((span) => !span.parent && span.attributes['http.route'] === '/api/orders/:id')).to.equal(true);
    expect(spans.filter((span) => span.parent)).to.have.length(120);
    // Two sessions have one failing request: its server span (500) and its client span are errors.
    const failing = servers.filter((span) => span.statusCode === 2);
    expect(failing).to.have.length(2);
    expect(failing.map((span) => span.attributes['http.response.status_code'])).to.deep.equal([500, 500]);
    expect(new Set(failing.map((span) => span.attributes['session.id'])).size).to.equal(2);
  });

  it('gives every copy sent its own trace and session ids, the encoded batch left as it was', () => {
    const batch = encodeBatch({ sessions: 4, errorShare: 0 });
    const original = Buffer.from(batch.bytes);
    const first = decode(stampBatch(batch, 0)).spans;
    const second = decode(stampBatch(batch, 4)).spans;
    expect(batch.bytes.equals(original)).to.equal(true);
    const sessionIds = (spans: DecodedSpan[]): string[] => [...new Set(spans.map((span) => String(span.attributes['session.id'])))];
    expect(sessionIds(first).map((id) => id.slice(24))).to.deep.equal(['00000000', '00000001', '00000002', '00000003']);
    expect(sessionIds(second).map((id) => id.slice(24))).to.deep.equal(['00000004', '00000005', '00000006', '00000007']);
    // The random part of each id stays.
    expect(sessionIds(first).map((id) => id.slice(0, 24))).to.deep.equal(sessionIds(second).map((id) => id.slice(0, 24)));
    expect(first[0]?.traceId.slice(16, 24)).to.equal('00000000');
    expect(second[0]?.traceId.slice(16, 24)).to.equal('00000004');
    const traceIds = new Set([...first, ...second].map((span) => span.traceId));
    expect(traceIds.size).to.equal(24);
    // Everything else is the same span.
    expect(second.map((span) => span.name)).to.deep.equal(first.map((span) => span.name));
  });

  it("reads the gateway's span counters from its metrics, with or without the _total suffix", () => {
    const text = [
      '# HELP otelcol_receiver_accepted_spans Number of spans successfully pushed into the pipeline.',
      '# TYPE otelcol_receiver_accepted_spans counter',
      'otelcol_receiver_accepted_spans{receiver="otlp",transport="grpc"} 278496',
      'otelcol_receiver_refused_spans{receiver="otlp",transport="grpc"} 12',
      'otelcol_exporter_sent_spans{exporter="otlp_grpc/jaeger",server_address="127.0.0.1",server_port="45815"} 71709',
      'otelcol_exporter_send_failed_spans_total{exporter="otlp_grpc/jaeger"} 3',
      'otelcol_processor_tail_sampling_global_count_traces_sampled{decision="not_sampled",sampled="false"} 68929',
      'otelcol_processor_tail_sampling_global_count_traces_sampled{decision="sampled",sampled="true"} 23903',
      'otelcol_processor_tail_sampling_sampling_trace_dropped_too_early 7',
      'otelcol_processor_tail_sampling_new_trace_id_received 92832',
      '',
    ].join('\n');
    expect(gatewaySpanCounts(text)).to.deep.equal({ accepted: 278496, refused: 12, sent: 71709, sendFailed: 3, decidedTraces: 92832, droppedTooEarly: 7, newEntries: 92832 });
    expect(gatewaySpanCounts('')).to.deep.equal({ accepted: 0, refused: 0, sent: 0, sendFailed: 0, decidedTraces: 0, droppedTooEarly: 0, newEntries: 0 });
    expect(parsePrometheusText('m{a="x\\"y",b="1"} 2.5e+03 1700000000')).to.deep.equal([{ name: 'm', labels: { a: 'x"y', b: '1' }, value: 2500 }]);
  });

  it("reads the decision window's default and num_traces from otel-gateway.yaml, and collector durations", () => {
    const config = readGatewayConfig();
    expect(defaultDecisionWait(config)).to.match(/^\d+(ms|s|m|h)/);
    expect(numTraces(config)).to.be.a('number').and.greaterThan(0);
    expect(defaultDecisionWait('decision_wait: ${env:TAIL_SAMPLING_DECISION_WAIT:-30s}')).to.equal('30s');
    expect(defaultDecisionWait('decision_wait: 30s')).to.equal(undefined);
    expect(durationSeconds('2s')).to.equal(2);
    expect(durationSeconds('500ms')).to.equal(0.5);
    expect(durationSeconds('1m30s')).to.equal(90);
    expect(() => durationSeconds('10')).to.throw('not a duration');
  });

  it('derives spans a second, the kept share, CPU µs a span and cores busy from one measurement, and prints them', () => {
    const measured: GatewayMeasurement = {
      decisionWait: '2s', seconds: 20, acceptedSpans: 1_000_000, refusedSpans: 0, totalAcceptedSpans: 1_200_000, totalSentSpans: 300_000,
      sendFailedSpans: 0, decidedTraces: 400_000, droppedTooEarly: 0, newEntries: 400_000, targetSpansPerSecond: null, sessions: 133_333, errorSessions: 6667,
      gatewayCpuSeconds: 18, gatewayCpuSecondsUnderLoad: 30, peakRssMiB: 800.5, loadGeneratorCpuSeconds: 3.6, sinkCpuSeconds: 1.2,
    };
    const figures = gatewayFigures(measured);
    expect(figures).to.deep.include({
      acceptedSpansPerSecond: 50_000, exportedSpansPerSecond: 12_500, keptShare: 0.25, cpuMicrosPerSpan: 15, gatewayCores: 1.5,
      peakRssMiB: 800.5, loadGeneratorCpuMicrosPerSpan: 3, sinkCpuMicrosPerSpan: 1, refusedSpans: 0, droppedTooEarly: 0,
    });
    const table = gatewayTable([figures, { ...figures, decisionWait: '10s', targetSpansPerSecond: 24000 }]);
    expect(table).to.have.length(4);
    expect(table[2]).to.equal('| 2s | as fast as accepted | 50000 | 0 | 0 | 12500 | 0.25 | 15 | 1.5 | 800.5 | 3 |');
    expect(table[3]).to.match(/^\| 10s \| 24000 \| 50000 \|/);
  });

  it('says the gateway kept up only with nothing refused, no trace let go undecided, no failed export and 95% of an asked rate', () => {
    const clean: GatewayMeasurement = {
      decisionWait: '10s', seconds: 10, acceptedSpans: 240_000, refusedSpans: 0, totalAcceptedSpans: 300_000, totalSentSpans: 75_000,
      sendFailedSpans: 0, decidedTraces: 100_000, droppedTooEarly: 0, newEntries: 100_000, targetSpansPerSecond: 24_000, sessions: 0, errorSessions: 0,
      gatewayCpuSeconds: 1, gatewayCpuSecondsUnderLoad: 1, peakRssMiB: 1, loadGeneratorCpuSeconds: 1, sinkCpuSeconds: 1,
    };
    expect(keptUp(clean)).to.equal(true);
    expect(keptUp({ ...clean, targetSpansPerSecond: null })).to.equal(true);
    expect(keptUp({ ...clean, refusedSpans: 288 })).to.equal(false);
    expect(keptUp({ ...clean, droppedTooEarly: 1 })).to.equal(false);
    expect(keptUp({ ...clean, sendFailedSpans: 1 })).to.equal(false);
    expect(keptUp({ ...clean, targetSpansPerSecond: 25_300 })).to.equal(false);
  });

  it('predicts the rate at which num_traces fills within the window, from the spans an entry measured', () => {
    const measured: GatewayMeasurement = {
      decisionWait: '10s', seconds: 20, acceptedSpans: 0, refusedSpans: 0, totalAcceptedSpans: 300_000, totalSentSpans: 0,
      sendFailedSpans: 0, decidedTraces: 0, droppedTooEarly: 0, newEntries: 100_000, targetSpansPerSecond: 4000, sessions: 0, errorSessions: 0,
      gatewayCpuSeconds: 1, gatewayCpuSecondsUnderLoad: 1, peakRssMiB: 1, loadGeneratorCpuSeconds: 1, sinkCpuSeconds: 1,
    };
    // 3 spans an entry (one trace a request): 100,000 entries x 3 spans over 11 s.
    expect(heldEntriesCeiling(measured, 100_000, 10)).to.equal(27_273);
    // 9 spans an entry (one per session of 3 requests x 3 spans): 50,000 x 9 over 61 s.
    expect(heldEntriesCeiling({ ...measured, newEntries: 33_333.33 }, 50_000, 60)).to.equal(7377);
    expect(heldEntriesCeiling({ ...measured, newEntries: 0 }, 50_000, 60)).to.equal(undefined);
  });
});
