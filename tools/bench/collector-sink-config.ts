import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** The parts of a collector configuration the benchmark rewrites; the rest is kept as it is. */
export interface CollectorConfig {
  readonly receivers?: Record<string, unknown>;
  readonly processors?: Record<string, unknown>;
  readonly exporters?: Record<string, unknown>;
  readonly connectors?: Record<string, unknown>;
  readonly extensions?: Record<string, unknown>;
  readonly service: {
    readonly extensions?: readonly string[];
    readonly pipelines: Record<string, Pipeline>;
    readonly telemetry?: unknown;
  };
}

interface Pipeline {
  readonly receivers: readonly string[];
  readonly processors?: readonly string[];
  readonly exporters: readonly string[];
}

/** Which of the stack's pipelines the benchmark's collector runs. */
export interface CollectorSinkOptions {
  /** Also the RED metrics pipelines (the span_metrics connector and what feeds and follows it): variant 14. */
  readonly redMetrics: boolean;
}

/** The stack's collector configuration, otel-collector.yaml at the repository root. */
export function readStackCollectorConfig(root: string): CollectorConfig {
  return parse(readFileSync(`${root}otel-collector.yaml`, 'utf8')) as CollectorConfig;
}

/**
 * The benchmark's collector, derived from the stack's configuration so that it measures the
 * pipelines the stack runs (memory limiter, user id hashing, batching, and with `redMetrics`
 * the span_metrics connector with its filter and transform): OTLP/HTTP in on loopback at
 * `${env:BENCH_OTLP_HTTP_PORT}`, the health check at `${env:BENCH_HEALTH_PORT}`, and every
 * exporter replaced by the debug exporter, since no Jaeger, VictoriaLogs or VictoriaMetrics
 * sits behind it. Without `redMetrics`, the pipelines that read from or write to a connector
 * are left out, with the processors only they used.
 */
export function collectorSinkConfig(stack: CollectorConfig, { redMetrics }: CollectorSinkOptions): CollectorConfig {
  const connectors = new Set(Object.keys(stack.connectors ?? {}));
  const usesConnector = (pipeline: Pipeline): boolean => [...pipeline.receivers, ...pipeline.exporters].some((id) => connectors.has(id));
  const pipelines: Record<string, Pipeline> = {};
  for (const [name, pipeline] of Object.entries(stack.service.pipelines)) {
    if (!redMetrics && usesConnector(pipeline)) continue;
    const exporters = [...new Set(pipeline.exporters.map((id) => (connectors.has(id) ? id : 'debug')))];
    pipelines[name] = { ...pipeline, exporters };
  }
  const usedProcessors = new Set(Object.values(pipelines).flatMap((pipeline) => pipeline.processors ?? []));
  const processors = Object.fromEntries(Object.entries(stack.processors ?? {}).filter(([id]) => usedProcessors.has(id)));
  return {
    receivers: { otlp: { protocols: { http: { endpoint: '127.0.0.1:${env:BENCH_OTLP_HTTP_PORT}' } } } },
    processors,
    ...(redMetrics && stack.connectors !== undefined ? { connectors: stack.connectors } : {}),
    exporters: { debug: { verbosity: 'basic' } },
    extensions: { health_check: { endpoint: '127.0.0.1:${env:BENCH_HEALTH_PORT}' } },
    service: { extensions: ['health_check'], telemetry: { metrics: { level: 'none' } }, pipelines },
  };
}
