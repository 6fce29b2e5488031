import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';

/** A collector configuration, as far as these tests read it. */
interface CollectorConfig {
  readonly connectors?: Record<string, unknown>;
  readonly processors?: Record<string, unknown>;
  readonly exporters?: Record<string, unknown>;
  readonly service: { readonly pipelines: Record<string, { readonly receivers: string[]; readonly processors: string[]; readonly exporters: string[] }> };
}

const read = (path: string): CollectorConfig => parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8')) as CollectorConfig;

describe('otel-agent.yaml, the logs and RED metrics of the gateway tier', () => {
  const agent = read('otel-agent.yaml');
  const single = read('otel-collector.yaml');
  // The pipelines the agent takes over from the single collector: the gateways only get traces.
  const SHARED_PIPELINES = ['logs', 'traces/red-metrics', 'metrics/red-metrics'];

  for (const name of SHARED_PIPELINES) {
    it(`has the pipeline ${name} of otel-collector.yaml`, () => {
      expect(agent.service.pipelines[name]).to.deep.equal(single.service.pipelines[name]);
    });
  }

  it("defines every component of those pipelines as otel-collector.yaml does (VictoriaLogs' stream fields, the span_metrics dimensions, the user.id hash)", () => {
    const components = (config: CollectorConfig): Record<string, unknown> => {
      const found: Record<string, unknown> = {};
      for (const name of SHARED_PIPELINES) {
        const pipeline = config.service.pipelines[name];
        if (pipeline === undefined) continue;
        for (const id of pipeline.processors) found[`processors ${id}`] = config.processors?.[id];
        for (const id of [...pipeline.receivers, ...pipeline.exporters]) {
          if (config.connectors?.[id] !== undefined) found[`connectors ${id}`] = config.connectors[id];
          else if (config.exporters?.[id] !== undefined) found[`exporters ${id}`] = config.exporters[id];
        }
      }
      return found;
    };
    const shared = components(single);
    expect(Object.keys(shared)).to.include.members(['connectors span_metrics', 'exporters otlp_http/victorialogs', 'exporters otlp_http/victoriametrics']);
    expect(components(agent)).to.deep.equal(shared);
  });

  it('counts every request in the RED metrics: their pipeline reads the OTLP receiver, before any sampling', () => {
    expect(agent.service.pipelines['traces/red-metrics']?.receivers).to.deep.equal(['otlp']);
    expect(Object.keys(agent.processors ?? {}).some((id) => id.startsWith('tail_sampling'))).to.equal(false);
  });

  it('sends traces only to the gateways, and logs and metrics only to the stores', () => {
    const exportersOf = (kind: string): string[] =>
      Object.entries(agent.service.pipelines)
        .filter(([name]) => name.split('/')[0] === kind)
        .flatMap(([, pipeline]) => pipeline.exporters);
    expect([...new Set(exportersOf('traces'))].sort()).to.deep.equal(['load_balancing/by-session', 'load_balancing/by-trace', 'span_metrics']);
    expect(exportersOf('logs')).to.deep.equal(['otlp_http/victorialogs']);
    expect(exportersOf('metrics')).to.deep.equal(['otlp_http/victoriametrics']);
  });

  it('retries a failed gateway with the intervals given (load_balancing fills in no defaults: without them it retries at once, forever) and no retry or queue inside the per-gateway exporters', () => {
    for (const name of ['load_balancing/by-session', 'load_balancing/by-trace']) {
      const exporter = agent.exporters?.[name] as { retry_on_failure: unknown; sending_queue: unknown; protocol: { otlp: { retry_on_failure: unknown; sending_queue: unknown } } };
      expect(exporter.retry_on_failure, name).to.deep.equal({ enabled: true, initial_interval: '5s', max_interval: '30s', max_elapsed_time: '300s' });
      expect(exporter.sending_queue, name).to.deep.equal({ enabled: true });
      expect([exporter.protocol.otlp.retry_on_failure, exporter.protocol.otlp.sending_queue], name).to.deep.equal([{ enabled: false }, { enabled: false }]);
    }
  });
});
