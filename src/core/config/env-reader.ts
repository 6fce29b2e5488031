/** The environment as configuration reads it: `process.env` or a test's own object. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown by configuration readers; `problems` lists every invalid variable at once. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads a configuration with `build`, which reads each variable through the given
 * {@link EnvReader}; the result is frozen.
 * @throws {ConfigError} listing every problem `build` found, so one restart fixes them all.
 */
export function readConfigFrom<T extends object>(env: Env, build: (read: EnvReader) => T): Readonly<T> {
  const problems: string[] = [];
  const config = build(new EnvReader(env, problems));
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(config);
}

/**
 * Parses single variables, recording problems instead of throwing so that all of them are
 * reported at once. Each reader returns its fallback when the value is invalid.
 */
export class EnvReader {
  readonly #env: Env;
  readonly #problems: string[];

  constructor(env: Env, problems: string[]) {
    this.#env = env;
    this.#problems = problems;
  }

  /** The value as set, trimmed; `undefined` when unset or empty. */
  optional(name: string): string | undefined {
    const raw = this.#env[name]?.trim();
    return raw === '' ? undefined : raw;
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

  /** An integer from `min` to `max`; `fallback` when unset or empty (or invalid, with the problem recorded). */
  integer(name: string, fallback: number, min: number, max: number): number {
    return this.optionalInteger(name, min, max) ?? fallback;
  }

  /** An integer from `min` to `max`, or `undefined` when unset or empty (or invalid, with the problem recorded). */
  optionalInteger(name: string, min: number, max: number): number | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      this.#problems.push(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
      return undefined;
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

  /**
   * An http(s) URL without credentials, or `undefined` when unset (or invalid, with the
   * problem recorded). A password is never echoed in the message.
   */
  httpUrl(name: string): URL | undefined {
    const raw = this.string(name, '');
    if (raw === '') return undefined;
    const url = URL.parse(raw);
    const shown = JSON.stringify(withoutPassword(raw, url));
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      this.#problems.push(`${name} must be an http(s) URL, got ${shown}`);
      return undefined;
    }
    if (url.username !== '' || url.password !== '') {
      this.#problems.push(
        `${name} must not contain credentials (user:password@): credentials in the URL are not supported, fetch refuses such URLs; got ${shown}`,
      );
      return undefined;
    }
    return url;
  }

  /** Records a problem found by checks across variables. */
  problem(message: string): void {
    this.#problems.push(message);
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
