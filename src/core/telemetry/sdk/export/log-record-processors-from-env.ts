import type { MeterProvider } from '@opentelemetry/api';
import { OTLPLogExporter as OTLPGrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import {
  BatchLogRecordProcessor,
  ConsoleLogRecordExporter,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
  type LogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import { batchingFromEnv, exporterNamesFromEnv, otlpProtocolFromEnv } from './exporters-from-env.ts';
import { countInFlight, type InFlightCounts } from './in-flight-exports.ts';

/**
 * The exporting log record processors chosen by the standard variables, as `NodeSDK` would
 * build them: OTEL_LOGS_EXPORTER (`otlp` default, `console`, `none`), and for otlp
 * OTEL_EXPORTER_OTLP_LOGS_PROTOCOL / OTEL_EXPORTER_OTLP_PROTOCOL (`http/protobuf` default,
 * `http/json`, `grpc`). The exporters read their own OTEL_EXPORTER_OTLP_LOGS_* /
 * OTEL_EXPORTER_OTLP_* endpoint, headers and timeout; batching honours OTEL_BLRP_*.
 *
 * Built here rather than by `NodeSDK` so the batch processors report their own metrics
 * (records dropped or failed) to the loss monitor, as the span processors do.
 *
 * @param exporter use this exporter instead of the variables (tests use an in-memory one).
 * @param selfObservability receives the batch processor's own metrics (lost log records).
 * @param inFlight counts, in `logRecords`, the records of batch exports not finished yet.
 */
export function createExportingLogRecordProcessors(
  exporter: LogRecordExporter | undefined,
  selfObservability: MeterProvider,
  inFlight: InFlightCounts = { spans: 0, logRecords: 0 },
): LogRecordProcessor[] {
  const exporters = exporter === undefined ? exporterNamesFromEnv('LOGS').map(logRecordExporterNamed) : [exporter];
  return exporters.map((candidate) =>
    candidate instanceof ConsoleLogRecordExporter
      ? new SimpleLogRecordProcessor({ exporter: candidate, selfObsMeterProvider: selfObservability })
      : new BatchLogRecordProcessor({
          exporter: countInFlight(candidate, inFlight, 'logRecords'), selfObsMeterProvider: selfObservability, ...batchingFromEnv('OTEL_BLRP') }),
  );
}

function logRecordExporterNamed(name: 'otlp' | 'console'): LogRecordExporter {
  if (name === 'console') return new ConsoleLogRecordExporter();
  switch (otlpProtocolFromEnv('LOGS')) {
    case 'http/json':
      return new OTLPJsonLogExporter();
    case 'grpc':
      return new OTLPGrpcLogExporter();
    default:
      return new OTLPProtoLogExporter();
  }
}
