/**
 * A deliberately broken preload for one test: it starts the same telemetry as
 * src/core/preload.ts but does not register the ESM loader hook, to show what that
 * hook is for (no Express spans without it).
 */
// The telemetry folder, not the core's entry: the entry also loads Express, which must load
// after the SDK has started.
import { startServiceTelemetry } from '../../../src/core/telemetry/index.ts';

await startServiceTelemetry();
