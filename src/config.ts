/**
 * Service configuration, read once from the environment at startup.
 *
 * OTEL_* variables are deliberately absent: they belong to the OpenTelemetry SDK,
 * which reads them itself (see src/telemetry/).
 */

/** The development-only token secret; startup refuses it when NODE_ENV=production. */
export const DEVELOPMENT_TOKEN_SECRET = 'development-only-secret-do-not-deploy';

/** Values accepted by NODE_ENV, in any letter case. */
export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/**
 * Where `GET /api/downstream` calls: a URL (DOWNSTREAM_URL), or `'self'` when DOWNSTREAM_URL
 * is unset: this service's own `/api/session` at `127.0.0.1` and the port the request came
 * in on, resolved per request, so that PORT=0 works (the port is unknown until `listen`).
 */
export type DownstreamTarget = URL | 'self';

/** Validated, frozen configuration. Every field has a documented default (README). */
export interface Config {
  /** NODE_ENV: `development` (default), `test` or `production`, read in any case, stored lower case. */
  readonly nodeEnv: NodeEnv;
  /** PORT: TCP port to listen on, default 3000 (0 picks a free port). */
  readonly port: number;
  /** HOST: interface to bind, default `0.0.0.0`. */
  readonly host: string;
  /** LOG_LEVEL: winston npm level, default `info`. */
  readonly logLevel: LogLevel;
  /**
   * DOWNSTREAM_URL: what `GET /api/downstream` calls; `'self'` when unset (see
   * {@link DownstreamTarget}). A URL with credentials is refused: `fetch` rejects it.
   */
  readonly downstreamUrl: DownstreamTarget;
  /**
   * TOKEN_SECRET: HMAC secret of the demo login tokens (at least 32 characters), used exactly
   * as given: never trimmed; leading or trailing whitespace is refused.
   */
  readonly tokenSecret: string;
  /** TOKEN_TTL_SECONDS: lifetime of a login token, default 3600. */
  readonly tokenTtlSeconds: number;
  /**
   * TRUST_INCOMING_BAGGAGE: `true` for an internal service whose callers are other services
   * of the system: `user.id` and other entries of incoming baggage are admitted (where the
   * baggage is extracted, for the whole process), adopted and forwarded. Default `false`: an
   * edge admits only a valid `session.id` and never trusts identity claimed by a client.
   */
  readonly trustIncomingBaggage: boolean;
  /** PROPAGATE_USER_ID: put `user.id` into outgoing baggage, default `false`. */
  readonly propagateUserId: boolean;
  /**
   * BAGGAGE_ALLOWED_HOSTS: comma-separated host names that outgoing HTTP calls may carry
   * baggage to; any other host gets none. Default: the host of DOWNSTREAM_URL only
   * (`127.0.0.1` when DOWNSTREAM_URL is unset).
   */
  readonly baggageAllowedHosts: ReadonlySet<string>;
  /** JSON_BODY_LIMIT: largest accepted JSON body, above zero, default `100kb` (bigger answers 413). */
  readonly jsonBodyLimit: string;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for requests and telemetry, default 10000. */
  readonly shutdownTimeoutMs: number;
  /**
   * SESSION_TELEMETRY_BRIDGE: `false` leaves out the session span processor, to measure what
   * it costs. The baggage policy applies either way. Default `true`.
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

  const nodeEnv = read.oneOfAnyCase('NODE_ENV', NODE_ENVS, 'development');
  const port = read.integer('PORT', 3000, 0, 65535);
  const host = read.string('HOST', '0.0.0.0');
  const logLevel = read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const downstreamUrl = read.downstream('DOWNSTREAM_URL');
  // Never trimmed, and never echoed: a secret is used byte for byte as the operator gave it.
  const tokenSecret = read.untrimmed('TOKEN_SECRET', DEVELOPMENT_TOKEN_SECRET);
  if (tokenSecret !== tokenSecret.trim()) {
    problems.push('TOKEN_SECRET must not begin or end with whitespace (it is used exactly as given, never trimmed)');
  } else if (tokenSecret.length < 32) {
    problems.push('TOKEN_SECRET must be at least 32 characters long');
  }
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
    baggageAllowedHosts: read.hostList('BAGGAGE_ALLOWED_HOSTS', [downstreamUrl === 'self' ? '127.0.0.1' : downstreamUrl.hostname]),
    // At least one non-zero digit: a limit of 0 would answer 413 to every JSON body.
    jsonBodyLimit: read.matching(
      'JSON_BODY_LIMIT',
      /^0*[1-9]\d*(b|kb|mb)$/i,
      '100kb',
      'a size above zero in b, kb or mb, such as 100kb or 1mb',
    ),
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

  /** The value exactly as set (empty counts as unset). */
  untrimmed(name: string, fallback: string): string {
    const raw = this.#env[name];
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

  /** One of `allowed` (all lower case), in any letter case; answers the lower-case form. */
  oneOfAnyCase<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.string(name, fallback);
    const match = allowed.find((candidate) => candidate === raw.toLowerCase());
    if (match === undefined) {
      this.#problems.push(`${name} must be one of ${allowed.join(', ')} (any letter case), got ${JSON.stringify(raw)}`);
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

  /** An http(s) URL without credentials, or `'self'` when unset. */
  downstream(name: string): DownstreamTarget {
    const raw = this.string(name, '');
    if (raw === '') return 'self';
    const url = URL.parse(raw);
    const shown = JSON.stringify(withoutPassword(raw, url));
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      this.#problems.push(`${name} must be an http(s) URL, got ${shown}`);
      return 'self';
    }
    if (url.username !== '' || url.password !== '') {
      this.#problems.push(
        `${name} must not contain credentials (user:password@): credentials in the URL are not supported, fetch refuses such URLs; got ${shown}`,
      );
      return 'self';
    }
    return url;
  }
}

/** `raw` fit for an error message: a password in it replaced by `***`. */
function withoutPassword(raw: string, parsed: URL | null): string {
  if (parsed !== null) {
    if (parsed.password === '') return raw;
    const shown = new URL(parsed.href);
    shown.password = '***';
    return shown.href;
  }
  // Unparseable: hide everything between the first `:` after `//` and the last `@`.
  return raw.replace(/^([^/]*\/\/[^:@/]*:).*@/s, '$1***@');
}
