import { diag } from '@opentelemetry/api';
import { getStringFromEnv, getStringListFromEnv, parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { readBatchProcessorVariables, readConfigFrom, type BatchProcessorPrefix, type BatchProcessorVariables } from '../../../config/index.ts';

/** A signal this service exports, as the OTEL_* variable names spell it. */
export type ExportedSignal = 'TRACES' | 'LOGS';

/** An exporter OTEL_TRACES_EXPORTER / OTEL_LOGS_EXPORTER can choose. */
export type ExporterName = 'otlp' | 'console';

/** An OTLP protocol of the specification. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc';

/**
 * Queue size of the batch processors when OTEL_BSP_MAX_QUEUE_SIZE / OTEL_BLRP_MAX_QUEUE_SIZE
 * is unset. The SDK's 2,048 overflows in an ordinary burst behind a slow collector
 * (test/core/process/span-burst.test.ts); 8,192 spans or log records are a few megabytes at
 * most and bound memory when no collector answers.
 */
export const DEFAULT_MAX_QUEUE_SIZE = 8192;

/**
 * The exporters OTEL_<signal>_EXPORTER names, as the specification reads it: a comma-separated
 * list, in any letter case, `otlp` when unset or empty, nothing when it contains `none`.
 * Unknown names are reported and skipped.
 */
export function exporterNamesFromEnv(signal: ExportedSignal): ExporterName[] {
  const variable = `OTEL_${signal}_EXPORTER`;
  const names = [...new Set((getStringListFromEnv(variable) ?? []).map((name) => name.toLowerCase()))];
  if (names.includes('none')) return [];
  if (names.length === 0) return ['otlp'];
  return names.filter((name): name is ExporterName => {
    if (name === 'otlp' || name === 'console') return true;
    diag.warn(`Unsupported ${variable} value ${JSON.stringify(name)}; supported: otlp, console, none`);
    return false;
  });
}

/**
 * The OTLP protocol of a signal: OTEL_EXPORTER_OTLP_<signal>_PROTOCOL, else
 * OTEL_EXPORTER_OTLP_PROTOCOL, else `http/protobuf`, in any letter case. An unknown value is
 * reported and replaced by the default.
 */
export function otlpProtocolFromEnv(signal: ExportedSignal): OtlpProtocol {
  const protocol = (
    getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`) ??
    getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf'
  ).toLowerCase();
  if (protocol === 'http/protobuf' || protocol === 'http/json' || protocol === 'grpc') return protocol;
  diag.warn(`Unsupported OTLP ${signal.toLowerCase()} protocol ${JSON.stringify(protocol)}; using http/protobuf`);
  return 'http/protobuf';
}

/**
 * Where a signal's OTLP/HTTP exporter sends, and the variable that said so (`default` when
 * none did). The URL is as configured, unchecked: the caller decides what an invalid one means.
 */
export interface OtlpHttpEndpoint {
  readonly url: string;
  readonly source: `OTEL_EXPORTER_OTLP_${ExportedSignal}_ENDPOINT` | 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'default';
}

/**
 * The endpoint of a signal's OTLP/HTTP exporter, resolved as the specification says and as
 * the SDK's exporters do: OTEL_EXPORTER_OTLP_<signal>_ENDPOINT as it is, else
 * OTEL_EXPORTER_OTLP_ENDPOINT with `/v1/traces` or `/v1/logs` appended (after one `/`), else
 * `http://localhost:4318/v1/…`. Under the `grpc` protocol the exporters read the same
 * variables as a gRPC target: check {@link otlpProtocolFromEnv} before posting to it.
 */
export function otlpHttpEndpointFromEnv(signal: ExportedSignal): OtlpHttpEndpoint {
  const specific = `OTEL_EXPORTER_OTLP_${signal}_ENDPOINT` as const;
  const own = getStringFromEnv(specific)?.trim();
  if (own !== undefined) return { url: own, source: specific };
  const path = `v1/${signal.toLowerCase()}`;
  const base = getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT')?.trim();
  if (base !== undefined) return { url: `${base.endsWith('/') ? base : `${base}/`}${path}`, source: 'OTEL_EXPORTER_OTLP_ENDPOINT' };
  return { url: `http://localhost:4318/${path}`, source: 'default' };
}

/**
 * The headers a signal's OTLP exporter sends: OTEL_EXPORTER_OTLP_HEADERS, overridden key by
 * key by OTEL_EXPORTER_OTLP_<signal>_HEADERS (`key=value` pairs, comma-separated,
 * percent-decoded), as the SDK's exporters read them.
 */
export function otlpHeadersFromEnv(signal: ExportedSignal): Record<string, string> {
  return {
    ...parseKeyPairsIntoRecord(getStringFromEnv('OTEL_EXPORTER_OTLP_HEADERS')),
    ...parseKeyPairsIntoRecord(getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_HEADERS`)),
  };
}

/** The batch processor options every signal's batch processor takes. */
export interface BatchingOptions extends BatchProcessorVariables {
  maxQueueSize: number;
}

/**
 * Batching options from `<prefix>_MAX_QUEUE_SIZE`, `_SCHEDULE_DELAY`, `_EXPORT_TIMEOUT` and
 * `_MAX_EXPORT_BATCH_SIZE` (`OTEL_BSP` for spans, `OTEL_BLRP` for log records), whole numbers
 * as {@link readBatchProcessorVariables} reads them; the queue defaults to
 * {@link DEFAULT_MAX_QUEUE_SIZE}, the rest to the SDK's defaults.
 * @throws {ConfigError} naming each invalid value. `readCoreConfig` refuses the same values,
 * so a service with one stops at start-up, before its telemetry starts.
 */
export function batchingFromEnv(prefix: BatchProcessorPrefix): BatchingOptions {
  const variables = readConfigFrom(process.env, (read) => readBatchProcessorVariables(read, prefix));
  return { maxQueueSize: DEFAULT_MAX_QUEUE_SIZE, ...variables };
}
