/**
 * Preload of the integration suite (mocha --node-option import=...): the real
 * OpenTelemetry SDK, started the way src/telemetry/preload.ts starts it, exporting to an
 * in-memory exporter through the same batch processor, before any test imports Express.
 */
import { register } from 'node:module';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
import { createInstrumentations } from '../../src/telemetry/instrumentations.ts';
import { startTelemetry } from '../../src/telemetry/start-telemetry.ts';
import { registerTelemetry } from '../../src/telemetry/telemetry-registry.ts';

// eslint-disable-next-line @typescript-eslint/no-deprecated -- see src/telemetry/preload.ts
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

/** Every span the integration tests produce ends up here. */
export const spanExporter = new InMemorySpanExporter();

registerTelemetry(
  startTelemetry({
    defaultServiceName: 'integration-test',
    serviceVersion: '0.0.0-test',
    // An edge: callers' baggage is untrusted (the default). Trust is decided where baggage
    // enters the process, so tests of a trusted internal service run it as its own process
    // (test/process/). The edge propagates user.id so the tests can see what it sends.
    baggagePolicy: { trustIncomingBaggage: false, propagateUserId: true },
    instrumentations: createInstrumentations({}),
    spanExporter,
  }),
);
