import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import { collectorSinkConfig, readStackCollectorConfig, type CollectorConfig } from '../../../../tools/bench/collector-sink-config.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));

describe("the benchmark's collector configuration, derived from otel-collector.yaml", () => {
  const stack = readStackCollectorConfig(root);
  const connectorIds = Object.keys(stack.connectors ?? {});
  const exportersOf = (config: CollectorConfig): string[] => Object.values(config.service.pipelines).flatMap((pipeline) => [...pipeline.exporters]);

  it('runs the stack pipelines that do not touch a connector, with their processors in order, when RED metrics are off', () => {
    const sink = collectorSinkConfig(stack, { redMetrics: false });
    const plain = Object.entries(stack.service.pipelines).filter(([, pipeline]) => ![...pipeline.receivers, ...pipeline.exporters].some((id) => connectorIds.includes(id)));
    expect(plain.map(([name]) => name).sort()).to.deep.equal(['logs', 'traces']);
    expect(Object.keys(sink.service.pipelines).sort()).to.deep.equal(['logs', 'traces']);
    for (const [name, pipeline] of plain) expect(sink.service.pipelines[name]!.processors, name).to.deep.equal(pipeline.processors);
    expect(sink.connectors).to.equal(undefined);
    // Only the processors the kept pipelines use: the RED metrics filter and transform are gone.
    expect(Object.keys(sink.processors ?? {}).sort()).to.deep.equal([...new Set(plain.flatMap(([, pipeline]) => pipeline.processors ?? []))].sort());
  });

  it('adds every pipeline of the span_metrics connector, with the stack connector as it is, when RED metrics are on', () => {
    const sink = collectorSinkConfig(stack, { redMetrics: true });
    expect(Object.keys(sink.service.pipelines).sort()).to.deep.equal(Object.keys(stack.service.pipelines).sort());
    expect(sink.connectors).to.deep.equal(stack.connectors);
    expect(connectorIds).to.include('span_metrics');
    expect(sink.processors).to.deep.equal(stack.processors);
  });

  for (const redMetrics of [false, true]) {
    it(`sends everything to the debug exporter instead of the stores, and listens on loopback only, when RED metrics are ${redMetrics ? 'on' : 'off'}`, () => {
      const sink = collectorSinkConfig(stack, { redMetrics });
      expect(Object.keys(sink.exporters ?? {})).to.deep.equal(['debug']);
      expect(new Set(exportersOf(sink).filter((id) => !connectorIds.includes(id)))).to.deep.equal(new Set(['debug']));
      expect(JSON.stringify(sink.receivers)).to.include('127.0.0.1:${env:BENCH_OTLP_HTTP_PORT}').and.not.include('0.0.0.0');
      expect(JSON.stringify(sink.extensions)).to.include('127.0.0.1:${env:BENCH_HEALTH_PORT}').and.not.include('0.0.0.0');
    });
  }
});
