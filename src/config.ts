/**
 * Service configuration, read once from the environment at startup.
 *
 * OTEL_* variables are deliberately absent: they belong to the OpenTelemetry SDK,
 * which reads them itself (see src/telemetry/).
 */

/** The development-only token secret; startup refuses it when NODE_ENV=production. */
export const DEVELOPMENT_TOKEN_SECRET = 'development-only-secret-do-not-deploy';

/** Validated, frozen configuration. Every field has a documented default (README). */
export interface Config {
  /** NODE_ENV, default `development`. */
  readonly nodeEnv: string;
  /** PORT: TCP port to listen on, default 3000 (0 picks a free port). */
  readonly port: number;
  /** HOST: interface to bind, default `0.0.0.0`. */
  readonly host: string;
  /** LOG_LEVEL: winston npm level, default `info`. */
  readonly logLevel: LogLevel;
  /** DOWNSTREAM_URL: what `GET /api/downstream` calls; default this service's own `/api/session`. */
  readonly downstreamUrl: URL;
  /** TOKEN_SECRET: HMAC secret of the demo login tokens (at least 32 characters). */
  readonly tokenSecret: string;
  /** TOKEN_TTL_SECONDS: lifetime of a login token, default 3600. */
  readonly tokenTtlSeconds: number;
  /**
   * TRUST_INCOMING_BAGGAGE: `true` for an internal service whose callers are other services
   * of the system: `user.id` and other entries of incoming baggage are adopted and forwarded.
   * Default `false` (an edge service never trusts identity claimed by a client).
   */
  readonly trustIncomingBaggage: boolean;
  /** PROPAGATE_USER_ID: put `user.id` into outgoing baggage, default `false`. */
  readonly propagateUserId: boolean;
  /**
   * BAGGAGE_ALLOWED_HOSTS: comma-separated host names that outgoing HTTP calls may carry
   * baggage to; any other host gets none. Default: the host of DOWNSTREAM_URL only.
   */
  readonly baggageAllowedHosts: ReadonlySet<string>;
  /** JSON_BODY_LIMIT: largest accepted JSON body, default `100kb` (bigger answers 413). */
  readonly jsonBodyLimit: string;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for requests and telemetry, default 10000. */
  readonly shutdownTimeoutMs: number;
  /**
   * SESSION_TELEMETRY_BRIDGE: `false` leaves out the session span processor and the session
   * baggage propagator (plain W3C baggage), to measure what they cost. Default `true`.
   */
  readonly sessionTelemetryBridge: boolean;
}

/** Log levels accepted by LOG_LEVEL (winston's npm levels). */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Thrown by {@link readConfig}; `problems` lists every invalid variable at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the configuration.
 * @throws {ConfigError} listing every problem, so one restart fixes them all.
 */
export function readConfig(env: Env): Config {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);

  const nodeEnv = read.string('NODE_ENV', 'development');
  const port = read.integer('PORT', 3000, 0, 65535);
  const host = read.string('HOST', '0.0.0.0');
  const logLevel = read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const downstreamUrl = read.httpUrl('DOWNSTREAM_URL', `http://127.0.0.1:${port}/api/session`);
  const tokenSecret = read.string('TOKEN_SECRET', DEVELOPMENT_TOKEN_SECRET);
  if (tokenSecret.length < 32) problems.push('TOKEN_SECRET must be at least 32 characters long');
  if (nodeEnv === 'production' && tokenSecret === DEVELOPMENT_TOKEN_SECRET) {
    problems.push('TOKEN_SECRET must be set when NODE_ENV=production (the built-in secret is for development only)');
  }

  const config: Config = {
    nodeEnv,
    port,
    host,
    logLevel,
    downstreamUrl,
    tokenSecret,
    tokenTtlSeconds: read.integer('TOKEN_TTL_SECONDS', 3600, 1, 31_536_000),
    trustIncomingBaggage: read.boolean('TRUST_INCOMING_BAGGAGE', false),
    propagateUserId: read.boolean('PROPAGATE_USER_ID', false),
    baggageAllowedHosts: read.hostList('BAGGAGE_ALLOWED_HOSTS', [downstreamUrl.hostname]),
    jsonBodyLimit: read.matching('JSON_BODY_LIMIT', /^\d+(b|kb|mb)$/i, '100kb', 'a size such as 100kb or 1mb'),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    sessionTelemetryBridge: read.boolean('SESSION_TELEMETRY_BRIDGE', true),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/** Parses single variables, recording problems instead of throwing so all are reported. */
class EnvReader {
  readonly #env: Env;
  readonly #problems: string[];

  constructor(env: Env, problems: string[]) {
    this.#env = env;
    this.#problems = problems;
  }

  string(name: string, fallback: string): string {
    const raw = this.#env[name]?.trim();
    return raw === undefined || raw === '' ? fallback : raw;
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const raw = this.string(name, String(fallback));
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.#problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.string(name, String(fallback)).toLowerCase();
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    this.#problems.push(`${name} must be true or false, got ${JSON.stringify(raw)}`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name, fallback);
    const match = allowed.find((candidate) => candidate === raw);
    if (match === undefined) {
      this.#problems.push(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return match;
  }

  matching(name: string, pattern: RegExp, fallback: string, expected: string): string {
    const raw = this.string(name, fallback);
    if (!pattern.test(raw)) {
      this.#problems.push(`${name} must be ${expected}, got ${JSON.stringify(raw)}`);
      return fallback;
    }
    return raw;
  }

  hostList(name: string, fallback: readonly string[]): ReadonlySet<string> {
    const raw = this.#env[name]?.trim();
    // Without IPv6 brackets: the http instrumentation reports `::1`, URL.hostname `[::1]`.
    const normalize = (host: string): string => host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (raw === undefined || raw === '') return new Set(fallback.map(normalize));
    const hosts = raw.split(',').map((host) => host.trim().toLowerCase());
    if (hosts.some((host) => !/^[a-z0-9.-]{1,253}$|^\[[0-9a-f:]+\]$/.test(host))) {
      this.#problems.push(`${name} must be a comma-separated list of host names, got ${JSON.stringify(raw)}`);
      return new Set(fallback.map(normalize));
    }
    return new Set(hosts.map(normalize));
  }

  httpUrl(name: string, fallback: string): URL {
    const raw = this.string(name, fallback);
    const url = URL.parse(raw);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      this.#problems.push(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`);
      return new URL(fallback);
    }
    return url;
  }
}
