import { disabledTelemetry, type Telemetry } from './start-telemetry.ts';

let current: Telemetry = disabledTelemetry;

/**
 * Hands the telemetry started by the preload to the composition root (src/main.ts), which
 * owns shutdown. The preload and main share this module instance: both import it by the
 * same URL in the same process.
 */
export function registerTelemetry(telemetry: Telemetry): void {
  current = telemetry;
}

/** The registered telemetry, or a disabled stand-in when the preload did not start any. */
export function registeredTelemetry(): Telemetry {
  return current;
}
