import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';

const read = (path: string): unknown => parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));

interface CollectorConfig {
  extensions: Record<string, { endpoint?: string }>;
  receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
  processors: Record<string, { actions?: { key: string; action: string }[] }>;
  exporters: Record<string, { endpoint?: string; logs_endpoint?: string; tls?: { insecure?: boolean } }>;
  service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; processors: string[]; exporters: string[] }> };
}

interface BuilderManifest {
  dist: { version: string };
  [kind: string]: unknown;
}

/** The component type of a `type/name` id. */
const typeOf = (id: string): string => id.split('/')[0]!;

/** The Go module (last path segment) that provides each component type, by kind. */
const MODULE_OF: Record<ComponentKind, Record<string, string>> = {
  receivers: { otlp: 'otlpreceiver' },
  processors: { memory_limiter: 'memorylimiterprocessor', batch: 'batchprocessor', attributes: 'attributesprocessor' },
  exporters: { otlp_grpc: 'otlpexporter', otlp_http: 'otlphttpexporter', debug: 'debugexporter' },
  extensions: { health_check: 'healthcheckextension' },
};
type ComponentKind = 'receivers' | 'processors' | 'exporters' | 'extensions';
const KINDS: ComponentKind[] = ['receivers', 'processors', 'exporters', 'extensions'];

describe('otel-collector.yaml', () => {
  const config = read('otel-collector.yaml') as CollectorConfig;
  const pipelines = config.service.pipelines;
  const traces = pipelines['traces']!;
  const logs = pipelines['logs']!;
  /** The processors of `pipeline` that hash user.id. */
  const userIdHashers = (pipeline: { processors: string[] }): string[] =>
    pipeline.processors.filter((id) => (config.processors[id]?.actions ?? []).some((action) => action.key === 'user.id' && action.action === 'hash'));

  it('receives OTLP over gRPC and HTTP on 0.0.0.0, not the localhost default that containers cannot reach', () => {
    expect(config.receivers.otlp.protocols['grpc']!.endpoint).to.equal('0.0.0.0:4317');
    expect(config.receivers.otlp.protocols['http']!.endpoint).to.equal('0.0.0.0:4318');
    expect(config.extensions['health_check']!.endpoint).to.equal('0.0.0.0:13133');
  });

  it('has exactly a traces and a logs pipeline, both fed by the OTLP receiver', () => {
    expect(Object.keys(pipelines).sort()).to.deep.equal(['logs', 'traces']);
    for (const pipeline of [traces, logs]) expect(pipeline.receivers).to.deep.equal(['otlp']);
  });

  for (const name of ['traces', 'logs']) {
    it(`runs memory_limiter first and batch last when the pipeline is ${name}`, () => {
      const pipeline = pipelines[name]!;
      expect(typeOf(pipeline.processors[0]!)).to.equal('memory_limiter');
      expect(typeOf(pipeline.processors.at(-1)!)).to.equal('batch');
    });
  }

  it('hashes user.id with one processor definition shared by the traces and the logs pipelines', () => {
    expect(userIdHashers(traces)).to.have.length(1);
    expect(userIdHashers(logs)).to.deep.equal(userIdHashers(traces));
    // Hashed before batching: nothing leaves the collector with the raw value.
    expect(logs.processors.indexOf(userIdHashers(logs)[0]!)).to.be.below(logs.processors.length - 1);
  });

  it('leaves session.id alone when hashing, so sessions stay searchable as sent', () => {
    const actions = [...traces.processors, ...logs.processors].flatMap((id) => config.processors[id]?.actions ?? []);
    expect(actions.some((action) => action.key === 'session.id')).to.equal(false);
  });

  it('exports OTLP to Jaeger without TLS, at an endpoint env-substituted with the compose default', () => {
    const jaeger = config.exporters['otlp_grpc/jaeger']!;
    expect(jaeger.endpoint).to.equal('${env:JAEGER_OTLP_ENDPOINT:-jaeger:4317}');
    expect(jaeger.tls?.insecure).to.equal(true);
    expect(traces.exporters).to.have.members(['otlp_grpc/jaeger', 'debug']);
  });

  it("exports logs over OTLP/HTTP to VictoriaLogs' OTLP path, under a base URL env-substituted with the compose default", () => {
    const victoriaLogs = config.exporters['otlp_http/victorialogs']!;
    expect(victoriaLogs.logs_endpoint).to.equal('${env:VICTORIALOGS_URL:-http://victorialogs:9428}/insert/opentelemetry/v1/logs');
    expect(logs.exporters).to.deep.equal(['otlp_http/victorialogs']);
  });

  it('uses no component removed from recent collectors (logging, jaeger exporters)', () => {
    expect(Object.keys(config.exporters).map(typeOf)).not.to.include.oneOf(['logging', 'jaeger']);
  });
});

describe('tools/stack/otelcol-builder.yaml', () => {
  const config = read('otel-collector.yaml') as CollectorConfig;
  const manifest = read('tools/stack/otelcol-builder.yaml') as BuilderManifest;
  const modules = (kind: string): string[] =>
    ((manifest[kind] ?? []) as { gomod: string }[]).map(({ gomod }) => gomod);

  for (const kind of KINDS) {
    it(`builds exactly the ${kind} otel-collector.yaml uses`, () => {
      const used = [...new Set(Object.keys(config[kind]).map(typeOf))];
      const wanted = used.map((type) => MODULE_OF[kind][type] ?? `an unmapped ${kind} type: ${type}`);
      const built = modules(kind).map((gomod) => gomod.split(' ')[0]!.split('/').at(-1)!);
      expect(built.sort()).to.deep.equal(wanted.sort());
    });
  }

  it('pins every component to release v0.161.0, the compose image release', () => {
    expect(manifest.dist.version).to.equal('0.161.0');
    for (const gomod of KINDS.flatMap(modules)) {
      expect(gomod).to.match(/ v0\.161\.0$/);
    }
  });
});
