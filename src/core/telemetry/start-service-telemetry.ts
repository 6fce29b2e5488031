import { readCoreConfig, type Env } from '../config/index.ts';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { DEFAULT_SERVICE_NAME, SERVICE_VERSION } from './service-identity.ts';
import { DiagnosticsToLogger } from './diag-to-logger.ts';
import { createInstrumentations } from './instrumentations.ts';
import { disabledTelemetry, startTelemetry, type Telemetry } from './start-telemetry.ts';
import { registerTelemetry } from './telemetry-registry.ts';

/** Options of {@link startServiceTelemetry}. */
export interface ServiceTelemetryOptions {
  /** Where the core configuration is read from. Default `process.env`. */
  readonly env?: Env;
  /** Export here instead of where OTEL_TRACES_EXPORTER says (tests use an in-memory exporter). */
  readonly spanExporter?: SpanExporter;
  /** Export here instead of where OTEL_LOGS_EXPORTER says (tests use an in-memory exporter). */
  readonly logRecordExporter?: LogRecordExporter;
}

/**
 * Starts a service's telemetry exactly as the preload does, for the preload and for tests
 * that must run what production runs: the diagnostics logger, the SDK with the session span
 * processor, the baggage policy of the core configuration, the instrumentations, and the
 * registration that `startService` picks up.
 *
 * Call it before Express or winston is imported: the instrumentations patch them as they
 * load. For that reason the logger that receives diagnostics is imported here, afterwards.
 * With an invalid configuration it starts nothing: `startService` reports the problems.
 */
export async function startServiceTelemetry(options: ServiceTelemetryOptions = {}): Promise<Telemetry> {
  let config;
  try {
    config = readCoreConfig(options.env ?? process.env);
  } catch {
    return disabledTelemetry;
  }
  const diagnostics = new DiagnosticsToLogger().install();
  const telemetry = startTelemetry({
    defaultServiceName: DEFAULT_SERVICE_NAME,
    serviceVersion: SERVICE_VERSION,
    baggagePolicy: config,
    sessionBridge: config.sessionTelemetryBridge,
    instrumentations: () => createInstrumentations(options.env ?? process.env),
    ...(options.spanExporter === undefined ? {} : { spanExporter: options.spanExporter }),
    ...(options.logRecordExporter === undefined ? {} : { logRecordExporter: options.logRecordExporter }),
  });
  registerTelemetry(telemetry);
  const { createLogger } = await import('../logging/index.ts');
  // Never exported: a diagnostic about failing exports must not become one more record to export.
  diagnostics.attach(createLogger({ level: config.logLevel }));
  return telemetry;
}
