import { diag, logs } from '@opentelemetry/api';
import { logs as legacyLogs } from '@opentelemetry/api-logs';

/**
 * Makes the logger provider that `NodeSDK` registered with `@opentelemetry/api` (whose 1.10
 * line carries the logs API) also the global provider of the separate
 * `@opentelemetry/api-logs` package.
 *
 * Why: `@opentelemetry/winston-transport`, the maintained winston bridge, still gets its
 * logger from `@opentelemetry/api-logs` (0.223), whose global lives under its own key. Without
 * this, its records would go to a no-op logger and nothing would be exported. Call after the
 * SDK has started. When another provider is registered there already, the first one stays
 * (the API's rule), the bridge writes to it, and a warning says so: this service's exporters
 * and loss counters would then see none of its records.
 */
export function shareLoggerProviderWithLegacyLogsApi(): void {
  const provider = logs.getLoggerProvider();
  if (legacyLogs.setGlobalLoggerProvider(provider) !== provider) {
    diag.warn('Another logger provider was registered with @opentelemetry/api-logs first; log records go there, not to this service\'s exporters');
  }
}
