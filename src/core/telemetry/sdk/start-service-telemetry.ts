import { createRequire, syncBuiltinESMExports } from 'node:module';
import { readCoreConfig, type Env } from '../../config/index.ts';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { DEFAULT_SERVICE_NAME, SERVICE_VERSION } from '../service-identity.ts';
import { DiagnosticsToLogger } from '../diagnostics/index.ts';
import { createInstrumentations, instrumentationsChosenByEnv } from './instrumentations.ts';
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
 * processor, the baggage policy of the core configuration, the instrumentations (their
 * patches reaching every way `node:http` and `node:https` are imported), and the
 * registration that `startService` picks up.
 *
 * Call it before Express or winston is imported: the instrumentations patch them as they
 * load. For that reason the logger that receives diagnostics is imported here, afterwards.
 * With an invalid configuration it starts nothing: `startService` reports the problems.
 */
export async function startServiceTelemetry(options: ServiceTelemetryOptions = {}): Promise<Telemetry> {
  const env = options.env ?? process.env;
  let config;
  try {
    config = readCoreConfig(env);
  } catch {
    return disabledTelemetry;
  }
  const diagnostics = new DiagnosticsToLogger().install();
  const telemetry = startTelemetry({
    defaultServiceName: DEFAULT_SERVICE_NAME,
    serviceVersion: SERVICE_VERSION,
    baggagePolicy: config,
    sessionBridge: config.sessionTelemetryBridge,
    instrumentations: () => createInstrumentations(env),
    tracesRequests: !instrumentationsChosenByEnv(env),
    logValueLengthLimit: config.logValueLengthLimit,
    ...(options.spanExporter === undefined ? {} : { spanExporter: options.spanExporter }),
    ...(options.logRecordExporter === undefined ? {} : { logRecordExporter: options.logRecordExporter }),
  });
  if (telemetry.enabled) patchNamedImportsOfHttp();
  registerTelemetry(telemetry);
  const { chooseLogFormat, createLogger } = await import('../../logging/index.ts');
  // Never exported: a diagnostic about failing exports must not become one more record to export.
  diagnostics.attach(
    createLogger({
      level: config.logLevel,
      format: chooseLogFormat(config.logFormat, process.stdout.isTTY),
      valueLengthLimit: config.logValueLengthLimit,
    }),
  );
  return telemetry;
}

/**
 * Makes `import { request } from 'node:http'` (and `get`, and `node:https`) reach the
 * instrumented functions, as the default and namespace imports do.
 *
 * The HTTP instrumentation patches either the CommonJS exports of `http` and `https` (at the
 * first `require` after the SDK started) or their ESM namespace, whichever it sees first,
 * never both: patching both recorded every call of the default import twice
 * (opentelemetry-js issue 6428, guarded since pull request 6437). But the named exports of a
 * builtin's ESM namespace are copies, taken when the builtin is first loaded: taken before
 * the patch, they stay the unpatched functions, and a named import sends no `traceparent`
 * and no `baggage` (opentelemetry-js issue 6489). So: require both now, which patches their
 * CommonJS exports, and copy the patched exports into the ESM namespaces
 * (`syncBuiltinESMExports`, Node's API for exactly this). Proven per call style by
 * test/core/process/outgoing-call-styles.test.ts.
 */
function patchNamedImportsOfHttp(): void {
  const require = createRequire(import.meta.url);
  require('node:http');
  require('node:https');
  syncBuiltinESMExports();
}
