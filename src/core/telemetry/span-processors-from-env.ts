import { diag } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/api';
import { getNumberFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPGrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  SimpleSpanProcessor,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';

/**
 * Queue size of the batch processor when OTEL_BSP_MAX_QUEUE_SIZE is unset. The SDK's 2,048
 * overflows in an ordinary burst behind a slow collector (test/core/process/span-burst.test.ts);
 * 8,192 spans is a few megabytes at most and bounds memory when no collector answers.
 */
export const DEFAULT_MAX_QUEUE_SIZE = 8192;

/**
 * The exporting span processors chosen by the standard variables, as `NodeSDK` would build
 * them: OTEL_TRACES_EXPORTER (`otlp` default, `console`, `none`), and for otlp
 * OTEL_EXPORTER_OTLP_TRACES_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL (`http/protobuf` default,
 * `http/json`, `grpc`). The exporters read their own endpoint, headers and timeout variables;
 * batching honours OTEL_BSP_*.
 *
 * This exists because `NodeSDK` builds these only when no span processor is given, and this
 * service adds its own session processor.
 *
 * @param exporter use this exporter instead of the variables (tests use an in-memory one).
 * @param selfObservability receives the batch processor's own metrics (dropped spans).
 */
export function createExportingSpanProcessors(
  exporter: SpanExporter | undefined,
  selfObservability: MeterProvider,
): SpanProcessor[] {
  const exporters = exporter === undefined ? spanExportersFromEnv() : [exporter];
  return exporters.map((candidate) =>
    candidate instanceof ConsoleSpanExporter
      ? new SimpleSpanProcessor({ exporter: candidate })
      : new BatchSpanProcessor({
          exporter: candidate,
          selfObsMeterProvider: selfObservability,
          ...batchingFromEnv(),
        }),
  );
}

/** The batch processor option set by each OTEL_BSP_* variable. */
const BATCHING_VARIABLES = {
  maxQueueSize: 'OTEL_BSP_MAX_QUEUE_SIZE',
  scheduledDelayMillis: 'OTEL_BSP_SCHEDULE_DELAY',
  exportTimeoutMillis: 'OTEL_BSP_EXPORT_TIMEOUT',
  maxExportBatchSize: 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE',
} as const;

function batchingFromEnv(): Partial<Record<keyof typeof BATCHING_VARIABLES, number>> {
  const options: Partial<Record<keyof typeof BATCHING_VARIABLES, number>> = { maxQueueSize: DEFAULT_MAX_QUEUE_SIZE };
  for (const [option, variable] of Object.entries(BATCHING_VARIABLES) as [keyof typeof BATCHING_VARIABLES, string][]) {
    const value = getNumberFromEnv(variable);
    if (value !== undefined && value > 0) options[option] = value;
  }
  return options;
}

function spanExportersFromEnv(): SpanExporter[] {
  const names = [...new Set(getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? [])];
  if (names.includes('none')) return [];
  if (names.length === 0) names.push('otlp');
  const exporters: SpanExporter[] = [];
  for (const name of names) {
    if (name === 'otlp') exporters.push(otlpExporterFromEnv());
    else if (name === 'console') exporters.push(new ConsoleSpanExporter());
    else diag.warn(`Unsupported OTEL_TRACES_EXPORTER value ${JSON.stringify(name)}; supported: otlp, console, none`);
  }
  return exporters;
}

function otlpExporterFromEnv(): SpanExporter {
  const protocol =
    getStringFromEnv('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  switch (protocol) {
    case 'http/protobuf':
      return new OTLPProtoTraceExporter();
    case 'http/json':
      return new OTLPJsonTraceExporter();
    case 'grpc':
      return new OTLPGrpcTraceExporter();
    default:
      diag.warn(`Unsupported OTLP traces protocol ${JSON.stringify(protocol)}; using http/protobuf`);
      return new OTLPProtoTraceExporter();
  }
}
