/**
 * Preload of the integration suite (mocha --node-option import=...): the real OpenTelemetry
 * SDK started by the same function as src/core/preload.ts (`startServiceTelemetry`: the
 * diagnostics logger, the baggage policy, the instrumentations), exporting to in-memory
 * exporters (spans and log records) through the same batch processors, before any test
 * imports Express.
 */
import { register } from 'node:module';
import { InMemoryLogRecordExporter } from '@opentelemetry/sdk-logs';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace';
// The telemetry folder, not the core's entry: the entry also loads Express, which must load
// after the SDK has started.
import { startServiceTelemetry } from '../../../src/core/telemetry/index.ts';

// eslint-disable-next-line @typescript-eslint/no-deprecated -- see src/core/preload.ts
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

/** Every span the integration tests produce ends up here. */
export const spanExporter = new InMemorySpanExporter();

/** Every log record the integration tests' loggers export ends up here. */
export const logRecordExporter = new InMemoryLogRecordExporter();

await startServiceTelemetry({
  // An edge: callers' baggage is untrusted (the default). Trust is decided where baggage
  // enters the process, so tests of a trusted internal service run it as its own process
  // (test/core/process/). The edge propagates user.id so the tests can see what it sends.
  env: { ...process.env, TRUST_INCOMING_BAGGAGE: 'false', PROPAGATE_USER_ID: 'true', BAGGAGE_ALLOWED_HOSTS: '' },
  spanExporter,
  logRecordExporter,
});
