/**
 * The core's preload: `node --import ./src/core/preload.ts ./src/main.ts` (`npm start`).
 *
 * It must run before the application is imported: instrumentations patch `http`, `express`,
 * `undici` and `winston` as they load. Under ESM that patching needs the
 * import-in-the-middle loader hook, registered first thing here; without it Express spans
 * silently never appear.
 *
 * This file and src/main.ts are the only modules of a service with side effects at import time.
 */
import { register } from 'node:module';
// Imported statically, so the SDK loads before the hook below exists; startServiceTelemetry
// then points the named imports of `node:http`/`node:https` at the instrumented functions
// (patchNamedImportsOfHttp; the stale ESM copies are opentelemetry-js issue 6489). Importing it
// dynamically after register() instead made two client spans per call by the default import
// of `node:http` (measured; the double patch of issue 6428). Counted per call style by
// test/core/process/outgoing-call-styles.test.ts.
import { startServiceTelemetry } from './telemetry/index.ts';

// module.register is deprecated in favour of module.registerHooks, but the hook that
// @opentelemetry/instrumentation 0.300 ships is an async loader hook and needs register().
// eslint-disable-next-line @typescript-eslint/no-deprecated
register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);

await startServiceTelemetry();
