/**
 * Telemetry preload: `node --import ./src/telemetry/preload.ts ./src/main.ts`.
 *
 * It must run before the application is imported: instrumentations patch `http`, `express`,
 * `undici` and `winston` as they load. Under ESM that patching needs the
 * import-in-the-middle loader hook, registered first thing here; without it Express spans
 * silently never appear. For the same reason winston (the logger) is imported only after
 * the SDK has started.
 *
 * This file and src/main.ts are the only modules with side effects at import time.
 */
import { register } from 'node:module';
import { readConfig, type Config } from '../config.ts';
import { DEFAULT_SERVICE_NAME, SERVICE_VERSION } from '../service-identity.ts';
import { DiagnosticsToLogger } from './diag-to-logger.ts';
import { createInstrumentations } from './instrumentations.ts';
import { startTelemetry } from './start-telemetry.ts';
import { registerTelemetry } from './telemetry-registry.ts';

// module.register is deprecated in favour of module.registerHooks, but the hook that
// @opentelemetry/instrumentation 0.300 ships is an async loader hook and needs register().
// eslint-disable-next-line @typescript-eslint/no-deprecated
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

const config = readConfigOrUndefined();
if (config !== undefined) {
  const diagnostics = new DiagnosticsToLogger().install();
  registerTelemetry(
    startTelemetry({
      defaultServiceName: DEFAULT_SERVICE_NAME,
      serviceVersion: SERVICE_VERSION,
      baggagePolicy: config,
      sessionBridge: config.sessionTelemetryBridge,
      instrumentations: createInstrumentations(process.env),
    }),
  );
  const { createLogger } = await import('../logging/logger.ts');
  diagnostics.attach(createLogger({ level: config.logLevel }));
}

function readConfigOrUndefined(): Config | undefined {
  try {
    return readConfig(process.env);
  } catch {
    // src/main.ts reads the configuration again and reports every problem before exiting.
    return undefined;
  }
}
