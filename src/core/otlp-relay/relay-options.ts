import { ConfigError } from '../config/index.ts';

/**
 * Options of the browser telemetry relay (`startService({ browserTelemetry: { … } })`); every
 * field is optional.
 */
export interface BrowserTelemetryRelayOptions {
  /**
   * The `service.name` every relayed resource gets, whatever the page claimed. Default `web`.
   * 1 to 255 printable characters.
   */
  readonly serviceName?: string;
  /** Largest accepted body in bytes; a larger one is answered 413 unread. Default 524288 (512 KiB). */
  readonly maxBodyBytes?: number;
  /**
   * Requests per second the relay accepts, both signals and all clients together (one token
   * bucket per process); beyond it 429 with `Retry-After`. Default 20.
   */
  readonly requestsPerSecond?: number;
  /** Requests accepted at once after a quiet spell (the bucket's size). Default 40. */
  readonly burst?: number;
  /**
   * Requests handled at once (body read, forward in flight); beyond it 503 with `Retry-After`,
   * so a slow collector cannot make the relay hold unbounded memory: at most this many
   * bodies of `maxBodyBytes`. Default 16.
   */
  readonly maxConcurrent?: number;
  /** How long a forward may wait for the collector before the answer is 502. Default 10000 ms. */
  readonly upstreamTimeoutMs?: number;
  /** Refusals and failures are reported at most once per this many ms. Default 10000. */
  readonly reportIntervalMs?: number;
}

/** The options with every default applied. */
export type ResolvedRelayOptions = Required<BrowserTelemetryRelayOptions>;

/** The relay's defaults. */
export const RELAY_DEFAULTS: ResolvedRelayOptions = {
  serviceName: 'web',
  maxBodyBytes: 512 * 1024,
  requestsPerSecond: 20,
  burst: 40,
  maxConcurrent: 16,
  upstreamTimeoutMs: 10_000,
  reportIntervalMs: 10_000,
};

/**
 * The options with their defaults, checked.
 * @throws {ConfigError} listing every invalid option.
 */
export function resolveRelayOptions(options: BrowserTelemetryRelayOptions): ResolvedRelayOptions {
  const resolved = { ...RELAY_DEFAULTS, ...options };
  const problems: string[] = [];
  // Printable ASCII or any non-control character; no line breaks that could split a log line.
  if (typeof resolved.serviceName !== 'string' || !/^[^\p{Cc}]{1,255}$/u.test(resolved.serviceName) || resolved.serviceName.trim() === '') {
    problems.push('browserTelemetry.serviceName must be 1 to 255 characters without control characters');
  }
  const integers = ['maxBodyBytes', 'burst', 'maxConcurrent', 'upstreamTimeoutMs', 'reportIntervalMs'] as const;
  for (const name of integers) {
    const value = resolved[name];
    if (!Number.isSafeInteger(value) || value < 1) problems.push(`browserTelemetry.${name} must be an integer of 1 or more, got ${String(value)}`);
  }
  if (!Number.isFinite(resolved.requestsPerSecond) || resolved.requestsPerSecond <= 0) {
    problems.push(`browserTelemetry.requestsPerSecond must be a number above 0, got ${String(resolved.requestsPerSecond)}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return resolved;
}
