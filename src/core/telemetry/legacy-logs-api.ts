import { logs } from '@opentelemetry/api';
import { logs as legacyLogs } from '@opentelemetry/api-logs';

/**
 * Makes the logger provider that `NodeSDK` registered with `@opentelemetry/api` (whose 1.10
 * line carries the logs API) also the global provider of the separate
 * `@opentelemetry/api-logs` package.
 *
 * Why: `@opentelemetry/winston-transport`, the maintained winston bridge, still gets its
 * logger from `@opentelemetry/api-logs` (0.223), whose global lives under its own key. Without
 * this, its records would go to a no-op logger and nothing would be exported. Call after the
 * SDK has started; harmless to call when another provider is registered already (the first
 * one stays, as the API's rule is).
 */
export function shareLoggerProviderWithLegacyLogsApi(): void {
  legacyLogs.setGlobalLoggerProvider(logs.getLoggerProvider());
}
