import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { SessionStorageLike } from './guarded-storage.ts';

/** Options of `startBrowserTelemetry`; every field is optional. */
export interface BrowserTelemetryOptions {
  /** `service.name` of the browser's spans and log records. Default `'web'`. */
  readonly serviceName?: string;
  /**
   * Where OTLP/HTTP JSON is posted: `${exportBaseUrl}/v1/traces` and `/v1/logs`, relative to
   * the page. Default `'/otlp'` (the edge's relay on the page's own origin). Requests to it
   * are never traced, carry no session, and are not activity.
   */
  readonly exportBaseUrl?: string;
  /**
   * Origins besides the page's own (`https://api.example.com`, exactly an origin) whose
   * fetches get `traceparent` and `baggage: session.id=…`, and whose `x-session-id` answers
   * the page adopts. Default none. Such an origin must allow those request headers and
   * expose `x-session-id` in its CORS answers.
   */
  readonly trustedOrigins?: readonly string[];
  /** A new session starts after this many seconds without activity. Default 900 (15 minutes). */
  readonly idleTimeoutSeconds?: number;
  /** A new session starts once a session has lasted this many seconds. Default 14400 (4 hours). */
  readonly maxDurationSeconds?: number;
  /**
   * The share of sessions traced, 0 to 1: give the server's session ratio, so that browser
   * and services trace the same sessions. Default 1.
   */
  readonly sampleRatio?: number;
  /**
   * Where the session survives reloads. Default the page's `localStorage` (guarded: a page
   * whose storage is missing or throws keeps its session in memory); `null`: memory only.
   */
  readonly storage?: SessionStorageLike | null;
  /** The clock, in milliseconds since the epoch. Default `Date.now`; tests pass their own. */
  readonly now?: () => number;
  /** Where spans go. Default OTLP/HTTP JSON to `${exportBaseUrl}/v1/traces`; tests pass an in-memory one. */
  readonly spanExporter?: SpanExporter;
  /** Where log records go. Default OTLP/HTTP JSON to `${exportBaseUrl}/v1/logs`; tests pass an in-memory one. */
  readonly logRecordExporter?: LogRecordExporter;
}

/** The defaults of {@link BrowserTelemetryOptions}. */
export const BROWSER_TELEMETRY_DEFAULTS = Object.freeze({
  serviceName: 'web',
  exportBaseUrl: '/otlp',
  trustedOrigins: Object.freeze<string[]>([]),
  idleTimeoutSeconds: 900,
  maxDurationSeconds: 14_400,
  sampleRatio: 1,
});

/** {@link BrowserTelemetryOptions} with the defaults applied (storage and exporters aside). */
export type ResolvedBrowserTelemetryOptions = Required<Omit<BrowserTelemetryOptions, 'storage' | 'spanExporter' | 'logRecordExporter'>> &
  Pick<BrowserTelemetryOptions, 'storage' | 'spanExporter' | 'logRecordExporter'>;

/**
 * `options` with the defaults applied.
 * @throws {RangeError} listing every option that is out of range.
 */
export function resolveBrowserTelemetryOptions(options: BrowserTelemetryOptions): ResolvedBrowserTelemetryOptions {
  const resolved = { ...BROWSER_TELEMETRY_DEFAULTS, now: Date.now, ...withoutUndefined(options) };
  const problems: string[] = [];
  if (typeof resolved.serviceName !== 'string' || resolved.serviceName.trim() === '') problems.push('serviceName must be a non-empty string');
  if (typeof resolved.exportBaseUrl !== 'string' || resolved.exportBaseUrl === '') problems.push('exportBaseUrl must be a non-empty URL');
  if (!Array.isArray(resolved.trustedOrigins)) problems.push('trustedOrigins must be an array of origins');
  for (const name of ['idleTimeoutSeconds', 'maxDurationSeconds'] as const) {
    const value = resolved[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) problems.push(`${name} must be a positive number of seconds, not ${String(value)}`);
  }
  const ratio = resolved.sampleRatio;
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) problems.push(`sampleRatio must be a number from 0 to 1, not ${String(ratio)}`);
  if (problems.length > 0) throw new RangeError(`Invalid browser telemetry options: ${problems.join('; ')}`);
  return resolved;
}

/** `options` without the fields given as `undefined`, which then take their defaults. */
function withoutUndefined(options: BrowserTelemetryOptions): BrowserTelemetryOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}
