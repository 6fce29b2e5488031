import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';

const read = (path: string): unknown => parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));

interface SpanMetricsConnector {
  dimensions: { name: string }[];
  exclude_dimensions?: string[];
  aggregation_cardinality_limit?: number;
  resource_metrics_key_attributes?: string[];
  namespace?: string;
  histogram?: { unit?: string };
}

interface CollectorConfig {
  extensions: Record<string, { endpoint?: string }>;
  receivers: { otlp: { protocols: Record<string, { endpoint: string }> } };
  connectors: Record<string, unknown>;
  processors: Record<string, { actions?: { key: string; action: string }[]; trace_conditions?: string[] }>;
  exporters: Record<string, { endpoint?: string; logs_endpoint?: string; metrics_endpoint?: string; headers?: Record<string, string>; tls?: { insecure?: boolean } }>;
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
  processors: {
    memory_limiter: 'memorylimiterprocessor',
    batch: 'batchprocessor',
    attributes: 'attributesprocessor',
    filter: 'filterprocessor',
    transform: 'transformprocessor',
    tail_sampling: 'tailsamplingprocessor',
  },
  exporters: { otlp_grpc: 'otlpexporter', otlp_http: 'otlphttpexporter', debug: 'debugexporter', load_balancing: 'loadbalancingexporter' },
  extensions: { health_check: 'healthcheckextension' },
  connectors: { span_metrics: 'spanmetricsconnector' },
};
type ComponentKind = 'receivers' | 'processors' | 'exporters' | 'extensions' | 'connectors';
const KINDS: ComponentKind[] = ['receivers', 'processors', 'exporters', 'extensions', 'connectors'];

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

  it('has a traces, a logs and a RED metrics pipeline pair, the OTLP receiver feeding the span-reading ones', () => {
    expect(Object.keys(pipelines).sort()).to.deep.equal(['logs', 'metrics/red-metrics', 'traces', 'traces/red-metrics']);
    for (const pipeline of [traces, logs, pipelines['traces/red-metrics']!]) expect(pipeline.receivers).to.deep.equal(['otlp']);
    expect(pipelines['traces/red-metrics']!.exporters).to.deep.equal(['span_metrics']);
    expect(pipelines['metrics/red-metrics']!.receivers).to.deep.equal(['span_metrics']);
  });

  for (const name of ['traces', 'logs', 'metrics/red-metrics']) {
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

  it("stores log streams by service.name and the deployment environment only, not by every resource attribute", () => {
    expect(config.exporters['otlp_http/victorialogs']!.headers).to.deep.equal({ 'VL-Stream-Fields': 'service.name,deployment.environment.name' });
  });

  describe('the span_metrics connector (RED metrics)', () => {
    const connector = config.connectors['span_metrics'] as SpanMetricsConnector;
    const redSpans = pipelines['traces/red-metrics']!;

    it('derives metrics from server spans only', () => {
      const filters = redSpans.processors.filter((id) => typeOf(id) === 'filter');
      expect(filters).to.have.length(1);
      expect(config.processors[filters[0]!]!.trace_conditions).to.deep.equal(['span.kind != SPAN_KIND_SERVER']);
    });

    it('adds the bounded HTTP dimensions and never a session, a user or a raw path', () => {
      const names = connector.dimensions.map(({ name }) => name);
      expect(names).to.deep.equal(['http.request.method', 'http.route', 'http.response.status_code']);
      expect(names).not.to.include.oneOf(['session.id', 'user.id', 'session.previous_id', 'url.path', 'url.full', 'client.address']);
    });

    it('caps the number of series and keys resources by service, so restarts do not add series', () => {
      expect(connector.aggregation_cardinality_limit).to.be.a('number').and.to.be.above(0);
      expect(connector.resource_metrics_key_attributes).to.deep.equal(['service.name', 'deployment.environment.name']);
    });

    it("keeps the default namespace and unit, the names Jaeger's Monitor tab queries", () => {
      expect(connector.namespace).to.equal(undefined);
      expect(connector.histogram?.unit).to.equal(undefined);
    });

    it('writes the metrics to VictoriaMetrics over OTLP/HTTP, with only the resource attributes that name a service', () => {
      const metrics = pipelines['metrics/red-metrics']!;
      expect(metrics.exporters).to.deep.equal(['otlp_http/victoriametrics']);
      expect(config.exporters['otlp_http/victoriametrics']!.metrics_endpoint).to.equal(
        '${env:VICTORIAMETRICS_URL:-http://victoriametrics:8428}/opentelemetry/v1/metrics',
      );
      expect(metrics.processors.some((id) => typeOf(id) === 'transform')).to.equal(true);
    });
  });

  it('uses no component removed from recent collectors (logging, jaeger exporters)', () => {
    expect(Object.keys(config.exporters).map(typeOf)).not.to.include.oneOf(['logging', 'jaeger']);
  });
});

describe('otel-gateway.yaml', () => {
  interface TailSampling {
    decision_wait: string;
    decision_wait_after_root_received?: string;
    num_traces: number;
    decision_cache: { sampled_cache_size: number; non_sampled_cache_size: number };
    policies: { name: string; type: string }[];
  }
  const config = read('otel-gateway.yaml') as CollectorConfig & { processors: Record<string, { trace_statements?: string[] } & Partial<TailSampling>> };
  const processors = config.service.pipelines['traces']!.processors;
  const PRIVATE = 'span.attributes["gateway.original_trace_id"]';

  it('gives the spans of a session one trace id from session.id just before tail_sampling, the real one kept aside', () => {
    const before = processors[processors.indexOf('tail_sampling') - 1]!;
    expect(config.processors[before]!.trace_statements).to.deep.equal([
      `set(${PRIVATE}, span.trace_id.string) where span.attributes["session.id"] != nil`,
      'set(span.trace_id.string, Substring(SHA256(span.attributes["session.id"]), 0, 32)) where span.attributes["session.id"] != nil',
    ]);
  });

  it('puts back the real trace id right after tail_sampling and removes the private attribute', () => {
    const after = processors[processors.indexOf('tail_sampling') + 1]!;
    expect(config.processors[after]!.trace_statements).to.deep.equal([
      `set(span.trace_id.string, ${PRIVATE}) where ${PRIVATE} != nil`,
      'delete_key(span.attributes, "gateway.original_trace_id")',
    ]);
  });

  it('runs memory_limiter first and batch last, hashing user.id and naming the gateway', () => {
    expect(processors[0]).to.equal('memory_limiter');
    expect(processors.at(-1)).to.equal('batch');
    expect(processors).to.include.members(['transform/gateway-name', 'attributes/hash-user-id']);
  });

  it('decides a session after a window set by TAIL_SAMPLING_DECISION_WAIT, not cut short by root spans, and remembers decisions longer than it holds sessions', () => {
    const tailSampling = config.processors['tail_sampling'] as TailSampling;
    expect(tailSampling.decision_wait).to.equal('${env:TAIL_SAMPLING_DECISION_WAIT:-60s}');
    expect(tailSampling.decision_wait_after_root_received).to.equal(undefined);
    expect(tailSampling.decision_cache.sampled_cache_size).to.be.above(tailSampling.num_traces);
    expect(tailSampling.decision_cache.non_sampled_cache_size).to.be.above(tailSampling.num_traces);
    expect(tailSampling.policies.map(({ name, type }) => `${name}:${type}`)).to.deep.equal(['errors:status_code', 'session-ratio:ottl_condition']);
  });
});

describe('tools/stack/otelcol-builder.yaml', () => {
  /** One binary runs every collector role: the single collector, the agent and the gateways. */
  const CONFIGS = ['otel-collector.yaml', 'otel-agent.yaml', 'otel-gateway.yaml'];
  const configs = CONFIGS.map((path) => read(path) as Partial<Record<ComponentKind, object>>);
  const manifest = read('tools/stack/otelcol-builder.yaml') as BuilderManifest;
  const modules = (kind: string): string[] =>
    ((manifest[kind] ?? []) as { gomod: string }[]).map(({ gomod }) => gomod);

  for (const kind of KINDS) {
    it(`builds exactly the ${kind} the collector configurations use`, () => {
      const used = [...new Set(configs.flatMap((config) => Object.keys(config[kind] ?? {}).map(typeOf)))];
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
