import { expect } from 'chai';
import { decodeOtlpMetrics } from '../support/otlp-metrics-decoding.ts';
import { ExportMetricsServiceRequest } from '../support/otlp-protobuf.ts';

/** A request as the collector pushes its own metrics: a counter (sum) with an int point, a gauge with a double one, a histogram. */
const pushed = ExportMetricsServiceRequest.encode(
  ExportMetricsServiceRequest.fromObject({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'otelcol' } }] },
        scopeMetrics: [
          {
            scope: { name: 'go.opentelemetry.io/collector/exporter/exporterhelper' },
            metrics: [
              {
                name: 'otelcol_exporter_sent_spans',
                sum: { dataPoints: [{ asInt: 378, attributes: [{ key: 'exporter', value: { stringValue: 'otlp_grpc/jaeger' } }, { key: 'sampled', value: { boolValue: true } }] }] },
              },
              { name: 'otelcol.processor.tail_sampling.sampling_traces_on_memory', gauge: { dataPoints: [{ asDouble: 2.5, attributes: [] }] } },
              { name: 'otelcol_processor_batch_batch_send_size' },
            ],
          },
        ],
      },
    ],
  }),
).finish();

describe('decodeOtlpMetrics (the collector metrics the gateway tests read after a shutdown)', () => {
  it('gives one sample a point of every sum and gauge, named as the Prometheus endpoint names them, attributes as text', () => {
    expect(decodeOtlpMetrics(pushed)).to.deep.equal([
      { name: 'otelcol_exporter_sent_spans', labels: { exporter: 'otlp_grpc/jaeger', sampled: 'true' }, value: 378 },
      { name: 'otelcol_processor_tail_sampling_sampling_traces_on_memory', labels: {}, value: 2.5 },
    ]);
  });

  it('gives nothing for an empty request, and refuses bytes that are not protobuf', () => {
    expect(decodeOtlpMetrics(new Uint8Array())).to.deep.equal([]);
    expect(() => decodeOtlpMetrics(Uint8Array.from([0x0a, 0xff]))).to.throw();
  });
});
