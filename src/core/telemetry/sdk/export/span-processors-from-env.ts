import type { MeterProvider } from '@opentelemetry/api';
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
import { batchingFromEnv, exporterNamesFromEnv, otlpProtocolFromEnv } from './exporters-from-env.ts';
import { countInFlight, type InFlightCounts } from './in-flight-exports.ts';

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
 * @param inFlight counts, in `spans`, the spans of batch exports not finished yet.
 */
export function createExportingSpanProcessors(
  exporter: SpanExporter | undefined,
  selfObservability: MeterProvider,
  inFlight: InFlightCounts = { spans: 0, logRecords: 0 },
): SpanProcessor[] {
  const exporters = exporter === undefined ? exporterNamesFromEnv('TRACES').map(spanExporterNamed) : [exporter];
  return exporters.map((candidate) =>
    candidate instanceof ConsoleSpanExporter
      ? new SimpleSpanProcessor({ exporter: candidate })
      : new BatchSpanProcessor({
          exporter: countInFlight(candidate, inFlight, 'spans'), selfObsMeterProvider: selfObservability, ...batchingFromEnv('OTEL_BSP') }),
  );
}

function spanExporterNamed(name: 'otlp' | 'console'): SpanExporter {
  if (name === 'console') return new ConsoleSpanExporter();
  switch (otlpProtocolFromEnv('TRACES')) {
    case 'http/json':
      return new OTLPJsonTraceExporter();
    case 'grpc':
      return new OTLPGrpcTraceExporter();
    default:
      return new OTLPProtoTraceExporter();
  }
}
