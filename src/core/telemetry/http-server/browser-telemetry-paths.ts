/**
 * Where browsers post their telemetry on the service's own origin: OTLP/HTTP JSON, relayed to
 * the collector by the core's browser telemetry relay (src/core/otlp-relay/). The relay
 * answers exactly the requests {@link browserTelemetrySignalOf} names, and the server span
 * middleware (`traceRequests`, or the stock HTTP instrumentation when it is chosen) leaves
 * those same requests untraced, so relaying a browser's spans never makes spans of its own.
 */
export const BROWSER_TELEMETRY_PATHS = { traces: '/otlp/v1/traces', logs: '/otlp/v1/logs' } as const;

/** A signal a browser posts to the relay. */
export type BrowserTelemetrySignal = keyof typeof BROWSER_TELEMETRY_PATHS;

/**
 * The signal a request posts to the relay: `POST` of exactly `/otlp/v1/traces` or
 * `/otlp/v1/logs` in origin form, with or without a query; otherwise `undefined`. Exact on
 * purpose, as the health probes are: another spelling (`/OTLP/v1/traces`, a trailing `/`, an
 * absolute-form target) is not the relay, is answered 404 like any unknown path, and is
 * traced. `url` is the raw request target (`IncomingMessage.url`, Express's `req.originalUrl`).
 *
 * Neither asks whether the relay is mounted, so these requests are untraced whether or not
 * the relay is turned on; without it they are answered 404.
 */
export function browserTelemetrySignalOf(method: string | undefined, url: string | undefined): BrowserTelemetrySignal | undefined {
  if (method !== 'POST' || url === undefined) return undefined;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path === BROWSER_TELEMETRY_PATHS.traces) return 'traces';
  if (path === BROWSER_TELEMETRY_PATHS.logs) return 'logs';
  return undefined;
}
