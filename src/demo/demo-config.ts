import { readConfigFrom, type Env, type NodeEnv } from '../core/index.ts';

/** The development-only token secret; startup refuses it when NODE_ENV=production. */
export const DEVELOPMENT_TOKEN_SECRET = 'development-only-secret-do-not-deploy';

/**
 * Where `GET /api/downstream` calls: a URL (DOWNSTREAM_URL), or `'self'` when DOWNSTREAM_URL
 * is unset: this service's own `/api/session` at `127.0.0.1` and the port the request came
 * in on, resolved per request, so that PORT=0 works (the port is unknown until `listen`).
 */
export type DownstreamTarget = URL | 'self';

/** The demo's own variables, read next to the core's. */
export interface DemoConfig {
  /**
   * DOWNSTREAM_URL: what `GET /api/downstream` calls; `'self'` when unset (see
   * {@link DownstreamTarget}). A URL with credentials is refused: `fetch` rejects it.
   */
  readonly downstreamUrl: DownstreamTarget;
  /**
   * TOKEN_SECRET: HMAC secret of the demo login tokens (at least 32 characters), used exactly
   * as given: never trimmed; leading or trailing whitespace is refused. Required when
   * NODE_ENV=production.
   */
  readonly tokenSecret: string;
  /** TOKEN_TTL_SECONDS: lifetime of a login token, default 3600. */
  readonly tokenTtlSeconds: number;
  /**
   * WEB_SESSION_IDLE_TIMEOUT_SECONDS: the page starts a new browser session after this long
   * without activity; default 900 (15 minutes), 1 to 86400.
   */
  readonly webSessionIdleTimeoutSeconds: number;
  /**
   * WEB_SESSION_MAX_DURATION_SECONDS: the page starts a new browser session once one has
   * lasted this long; default 14400 (4 hours), 1 to 604800 (a week).
   */
  readonly webSessionMaxDurationSeconds: number;
}

/**
 * Reads and validates the demo's configuration.
 * @param nodeEnv the core's NODE_ENV: production refuses the built-in token secret.
 * @throws {ConfigError} listing every problem.
 */
export function readDemoConfig(env: Env, nodeEnv: NodeEnv): DemoConfig {
  return readConfigFrom(env, (read) => {
    // Never trimmed, and never echoed: a secret is used byte for byte as the operator gave it.
    const tokenSecret = read.untrimmed('TOKEN_SECRET', DEVELOPMENT_TOKEN_SECRET);
    if (tokenSecret !== tokenSecret.trim()) {
      read.problem('TOKEN_SECRET must not begin or end with whitespace (it is used exactly as given, never trimmed)');
    } else if (tokenSecret.length < 32) {
      read.problem('TOKEN_SECRET must be at least 32 characters long');
    }
    if (nodeEnv === 'production' && tokenSecret === DEVELOPMENT_TOKEN_SECRET) {
      read.problem('TOKEN_SECRET must be set when NODE_ENV=production (the built-in secret is for development only)');
    }
    return {
      downstreamUrl: read.httpUrl('DOWNSTREAM_URL') ?? 'self',
      tokenSecret,
      tokenTtlSeconds: read.integer('TOKEN_TTL_SECONDS', 3600, 1, 31_536_000),
      webSessionIdleTimeoutSeconds: read.integer('WEB_SESSION_IDLE_TIMEOUT_SECONDS', 900, 1, 86_400),
      webSessionMaxDurationSeconds: read.integer('WEB_SESSION_MAX_DURATION_SECONDS', 14_400, 1, 604_800),
    };
  });
}
