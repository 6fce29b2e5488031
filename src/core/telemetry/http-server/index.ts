/** Each request's server span (`traceRequests`), and the requests it leaves untraced. */
export { ABORTED_ERROR_TYPE, traceRequests } from './server-span.ts';
export { HEALTH_PROBE_PATHS, isHealthProbeRequest } from './health-probes.ts';
export { BROWSER_TELEMETRY_PATHS, browserTelemetrySignalOf, type BrowserTelemetrySignal } from './browser-telemetry-paths.ts';
