import { ConfigError } from '../config/index.ts';
import {
  otlpHeadersFromEnv,
  otlpHttpEndpointFromEnv,
  otlpProtocolFromEnv,
  type BrowserTelemetrySignal,
} from '../telemetry/index.ts';

/** Where the relay posts one signal, and with which headers. */
export interface RelayTarget {
  readonly url: URL;
  /** The exporters' OTEL_EXPORTER_OTLP_(<signal>_)HEADERS, for a collector that wants them. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Where the relay posts each signal. */
export type RelayUpstreams = Readonly<Record<BrowserTelemetrySignal, RelayTarget>>;

const SIGNAL_NAMES = { traces: 'TRACES', logs: 'LOGS' } as const;

/**
 * Resolves, once at start-up, the collector the relay posts to: the OTLP/HTTP endpoint of
 * the service's own exporters of each signal (`otlpHttpEndpointFromEnv`:
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT / OTEL_EXPORTER_OTLP_LOGS_ENDPOINT as they are, else
 * OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces` | `/v1/logs`, else `http://localhost:4318/v1/…`),
 * or, when `override` (BROWSER_TELEMETRY_OTLP_ENDPOINT) is set, that base URL +
 * `/v1/traces` | `/v1/logs`. The headers are the exporters' either way.
 *
 * @throws {ConfigError} when an endpoint is not an http(s) URL without credentials (the SDK's
 *   exporters would fall back to localhost with a warning; the relay refuses to guess), or
 *   when a signal is exported over gRPC without an override: a gRPC endpoint does not take
 *   OTLP/HTTP.
 */
export function relayUpstreams(override: URL | undefined): RelayUpstreams {
  const problems: string[] = [];
  const target = (signal: BrowserTelemetrySignal): RelayTarget => {
    const name = SIGNAL_NAMES[signal];
    const headers = otlpHeadersFromEnv(name);
    if (override !== undefined) {
      const base = override.href.endsWith('/') ? override.href : `${override.href}/`;
      return { url: new URL(`v1/${signal}`, base), headers };
    }
    const endpoint = otlpHttpEndpointFromEnv(name);
    if (otlpProtocolFromEnv(name) === 'grpc') {
      problems.push(
        `BROWSER_TELEMETRY_OTLP_ENDPOINT must be set when the service exports ${signal} over gRPC: the browser telemetry relay posts OTLP/HTTP JSON, ` +
          `and ${endpoint.source === 'default' ? 'the default endpoint' : endpoint.source} is a gRPC endpoint; set it to the collector's OTLP/HTTP base URL, such as http://collector:4318`,
      );
      return { url: new URL('http://localhost/'), headers };
    }
    const url = URL.parse(endpoint.url);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username !== '' || url.password !== '') {
      problems.push(
        `${endpoint.source} must be an http(s) URL without credentials for the browser telemetry relay to post ${signal} to; got ${describeUrl(endpoint.url, url)}`,
      );
      return { url: new URL('http://localhost/'), headers };
    }
    return { url, headers };
  };
  const upstreams = { traces: target('traces'), logs: target('logs') };
  if (problems.length > 0) throw new ConfigError(problems);
  return upstreams;
}

/** The configured value fit for an error message: quoted, any password replaced by `***`. */
function describeUrl(raw: string, parsed: URL | null): string {
  if (parsed === null) return JSON.stringify(raw.replace(/^([^/]*\/\/[^:@/]*:).*@/s, '$1***@'));
  if (parsed.password === '') return JSON.stringify(raw);
  const shown = new URL(parsed.href);
  shown.password = '***';
  return JSON.stringify(shown.href);
}
