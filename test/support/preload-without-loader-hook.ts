/**
 * A deliberately broken preload for one test: it starts the same telemetry as
 * src/telemetry/preload.ts but does not register the ESM loader hook, to show what that
 * hook is for (no Express spans without it).
 */
import { readConfig } from '../../src/config.ts';
import { createInstrumentations } from '../../src/telemetry/instrumentations.ts';
import { startTelemetry } from '../../src/telemetry/start-telemetry.ts';
import { registerTelemetry } from '../../src/telemetry/telemetry-registry.ts';

registerTelemetry(
  startTelemetry({
    defaultServiceName: 'without-loader-hook',
    serviceVersion: '0.0.0-test',
    baggagePolicy: readConfig(process.env),
    instrumentations: createInstrumentations(process.env),
  }),
);
