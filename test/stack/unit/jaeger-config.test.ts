import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse } from 'yaml';

const read = (path: string): unknown => parse(readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8'));

interface BadgerBackend {
  ephemeral?: boolean;
  directories?: { keys?: string; values?: string };
  ttl?: { spans?: string };
}

interface PrometheusBackend {
  endpoint?: string;
  metric_namespace?: string;
  latency_unit?: string;
  normalize_calls?: boolean;
  normalize_duration?: boolean;
}

interface JaegerConfig {
  service: { extensions: string[]; pipelines: Record<string, { receivers: string[]; exporters: string[] }> };
  extensions: {
    jaeger_query: {
      enable_tracing?: boolean;
      storage: { traces: string; metrics?: string };
      http: { endpoint: string };
      grpc: { endpoint: string };
    };
    jaeger_storage: {
      backends: Record<string, { badger?: BadgerBackend }>;
      metric_backends: Record<string, { prometheus?: PrometheusBackend }>;
    };
    healthcheckv2: { http: { endpoint: string } };
  };
  receivers: { otlp: { protocols: { grpc: { endpoint: string } } } };
  exporters: { jaeger_storage_exporter: { trace_storage: string } };
}

interface CollectorConfig {
  connectors: { span_metrics: { namespace?: string } };
  exporters: Record<string, { metrics_endpoint?: string }>;
}

/** The data folder every Badger directory lives under: set by the tests, a volume's path in compose. */
const DATA_DIR = '${env:JAEGER_DATA_DIR:-/tmp/jaeger}';

describe('jaeger.yaml', () => {
  const config = read('jaeger.yaml') as JaegerConfig;
  const query = config.extensions.jaeger_query;
  const storage = config.extensions.jaeger_storage;

  describe('trace storage', () => {
    const traces = storage.backends[query.storage.traces];

    it('queries and writes the same backend', () => {
      expect(traces, `backend ${query.storage.traces}`).not.to.equal(undefined);
      expect(config.exporters.jaeger_storage_exporter.trace_storage).to.equal(query.storage.traces);
    });

    it('keeps traces in Badger on disk, not in the ephemeral default that loses them at exit', () => {
      expect(traces?.badger?.ephemeral).to.equal(false);
    });

    it('puts both Badger directories, keys and values, under JAEGER_DATA_DIR', () => {
      expect(traces?.badger?.directories).to.deep.equal({ keys: `${DATA_DIR}/keys`, values: `${DATA_DIR}/values` });
    });

    it('deletes spans 7 days (168h) after they were written', () => {
      expect(traces?.badger?.ttl?.spans).to.equal('168h');
    });
  });

  describe("the Monitor tab's metric backend", () => {
    const collector = read('otel-collector.yaml') as CollectorConfig;
    const name = query.storage.metrics ?? '';
    const prometheus = storage.metric_backends[name]?.prometheus;

    it('is named by the query as its metrics storage', () => {
      expect(name).not.to.equal('');
      expect(prometheus, `metric backend ${name}`).not.to.equal(undefined);
    });

    it('reads VictoriaMetrics at the base URL the collector writes the RED metrics under', () => {
      expect(prometheus?.endpoint).to.equal('${env:VICTORIAMETRICS_URL:-http://victoriametrics:8428}');
      expect(collector.exporters['otlp_http/victoriametrics']?.metrics_endpoint).to.equal(`${prometheus?.endpoint ?? ''}/opentelemetry/v1/metrics`);
    });

    it("queries the names VictoriaMetrics stores the connector's metrics under: namespace traces_span_metrics, milliseconds, _total and unit suffixes", () => {
      // The connector's default namespace, traces.span.metrics, with Prometheus naming.
      expect(collector.connectors.span_metrics.namespace).to.equal(undefined);
      expect(prometheus).to.deep.equal({
        endpoint: prometheus?.endpoint,
        metric_namespace: 'traces_span_metrics',
        latency_unit: 'ms',
        normalize_calls: true,
        normalize_duration: true,
      });
    });
  });

  it("does not trace its own queries, which would land among the services' traces as a service `jaeger`", () => {
    // Jaeger 2.13 defaults enable_tracing to true and exports to localhost:4317.
    expect(query.enable_tracing).to.equal(false);
  });

  it('takes every host and port from the environment with the compose defaults, so the tests can move them', () => {
    const at = (host: string, port: string, fallback: number): string => `\${env:JAEGER_LISTEN_HOST:-${host}}:\${env:${port}:-${fallback}}`;
    expect(config.extensions.healthcheckv2.http.endpoint).to.equal(at('localhost', 'JAEGER_HEALTH_PORT', 13133));
    expect(query.http.endpoint).to.equal(at('localhost', 'JAEGER_QUERY_PORT', 16686));
    expect(query.grpc.endpoint).to.equal(at('localhost', 'JAEGER_QUERY_GRPC_PORT', 16685));
    expect(config.receivers.otlp.protocols.grpc.endpoint).to.equal(at('localhost', 'JAEGER_OTLP_GRPC_PORT', 4317));
  });
});
