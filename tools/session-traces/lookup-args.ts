import { parseArgs } from 'node:util';
import { isValidSessionId, isValidUserId, USER_ID_RULE } from '../../src/core/index.ts';
import { parseDuration } from './duration.ts';
import { EndpointUrlError, parseEndpointUrl } from './http/index.ts';

/** What the command was asked for, validated. */
export interface LookupOptions {
  /** The session to show, or `undefined` with `--user`. */
  readonly sessionId: string | undefined;
  /** `--user`: find a user's traces instead of a session's. */
  readonly userId: string | undefined;
  /** `--since`, in milliseconds: how far back to search. Default 24 h. */
  readonly sinceMs: number;
  readonly since: string;
  /** `--limit`: most traces shown. Default 100. */
  readonly limit: number;
  /** `--service` (repeatable): search only these services. */
  readonly services: readonly string[] | undefined;
  readonly json: boolean;
  readonly follow: boolean;
  /** `--logs`: also the session's log lines, from VictoriaLogs. */
  readonly logs: boolean;
  /** `--chain`: every session of the chain the session is in (those it replaced and those that replaced it), oldest first. */
  readonly chain: boolean;
  readonly help: boolean;
  /** JAEGER_URL as given (credentials included: never print it), default `http://localhost:16686`. */
  readonly jaegerUrl: string;
  /**
   * VICTORIALOGS_URL as given (credentials included: never print it), default
   * `http://localhost:9428`; checked only with `--logs`.
   */
  readonly victoriaLogsUrl: string;
}

/** The command line was wrong; the message says how. Exit code 2. */
export class UsageError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** The most sessions `--chain` shows; a longer chain is cut around the session asked for. */
export const MAX_CHAIN_LENGTH = 20;

export const USAGE = `Usage: session-traces <sessionId> [options]
       session-traces --user <userId> [options]

Shows every trace of a session (or a user) across all services, from Jaeger; with --logs,
each with its log lines, from VictoriaLogs. A session that replaced another (a login, or the
browser after its idle timeout) or was replaced is shown with its previous and next session.
After the traces, a summary: requests from outside and per service, errors (5xx or aborted),
p50 and p99 duration per route, the services, the first and last time (not with --follow).

Options:
  --since <duration>   how far back to search: 90s, 30m, 24h, 7d (default 24h)
  --limit <n>          most traces to show, 1-1000 (default 100)
  --service <name>     search only this service for traces (repeatable)
  --user <userId>      find a user's traces (the id is hashed as the collector stores it)
  --logs               print each trace as one line with its log lines under it, in time
                       order, then the lines in no listed trace (at most the newest 10000)
  --chain              every session of the chain, oldest first: the sessions this one
                       replaced and those that replaced it (at most ${MAX_CHAIN_LENGTH})
  --json               machine-readable output (with --follow: one JSON trace per line);
                       with --logs, a logs array in each trace and one for the rest
  --follow             keep polling and print new traces until Ctrl-C; with --logs, each
                       new trace carries its lines, and a line in no listed trace is printed
                       as it arrives, after waiting up to 15 s for its trace to appear
                       (with --json as {"log": {...}})
  -h, --help           this text

Environment:
  JAEGER_URL           Jaeger query address (default http://localhost:16686); a path
                       (http://host/jaeger) and user:password@ (Basic auth) are honoured
  VICTORIALOGS_URL     VictoriaLogs address for --logs (default http://localhost:9428);
                       a path and user:password@ are honoured likewise
  NO_COLOR             no colours even on a terminal

Exit codes: 0 traces found, 1 none found, 2 usage error, Jaeger unreachable or its
answer unusable (malformed, or over 64 MiB). Log lines that cannot be had change none
of them: the traces are printed and one line on stderr says why the logs are missing.`;

/** @throws {UsageError} when `url` (from the variable `variable`) cannot be used. */
function checkUrl(url: string, variable: string): void {
  try {
    parseEndpointUrl(url, variable);
  } catch (error) {
    if (!(error instanceof EndpointUrlError)) throw error;
    throw new UsageError(error.message, { cause: error });
  }
}

/**
 * Parses and validates the command line (with `node:util` parseArgs).
 * @throws {UsageError} for anything wrong, before any request is made.
 */
export function parseLookupArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LookupOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        since: { type: 'string', default: '24h' },
        limit: { type: 'string', default: '100' },
        service: { type: 'string', multiple: true },
        user: { type: 'string' },
        json: { type: 'boolean', default: false },
        follow: { type: 'boolean', default: false },
        logs: { type: 'boolean', default: false },
        chain: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  const jaegerUrl = env['JAEGER_URL']?.trim() || 'http://localhost:16686';
  const victoriaLogsUrl = env['VICTORIALOGS_URL']?.trim() || 'http://localhost:9428';
  const base = { json: values.json, follow: values.follow, logs: values.logs, chain: values.chain, help: values.help, jaegerUrl, victoriaLogsUrl };
  if (values.help) {
    return { ...base, sessionId: undefined, userId: undefined, sinceMs: 0, since: values.since, limit: 0, services: undefined };
  }

  if (positionals.length > 1) throw new UsageError(`Expected one session id, got ${positionals.length} arguments`);
  const [sessionId] = positionals;
  if (sessionId === undefined && values.user === undefined) throw new UsageError('Give a session id, or --user <userId>');
  if (sessionId !== undefined && values.user !== undefined) throw new UsageError('Give a session id or --user, not both');
  if (sessionId !== undefined && !isValidSessionId(sessionId)) {
    throw new UsageError('Not a valid session id: 8 to 128 characters of A-Z a-z 0-9 . _ : -');
  }
  if (values.chain && values.user !== undefined) throw new UsageError('--chain follows a session: give a session id, not --user');
  if (values.chain && values.follow) throw new UsageError('--chain and --follow do not go together: follow the newest session of the chain instead');
  if (values.user !== undefined && !isValidUserId(values.user)) {
    throw new UsageError(`Not a valid user id: ${USER_ID_RULE}`);
  }
  const sinceMs = parseDuration(values.since);
  if (sinceMs === undefined || sinceMs === 0) throw new UsageError(`--since takes a duration such as 30m, 24h or 7d, got ${JSON.stringify(values.since)}`);
  const limit = /^\d{1,4}$/.test(values.limit) ? Number(values.limit) : Number.NaN;
  if (!(limit >= 1 && limit <= 1000)) throw new UsageError(`--limit takes a whole number from 1 to 1000, got ${JSON.stringify(values.limit)}`);
  checkUrl(jaegerUrl, 'JAEGER_URL');
  if (values.logs) checkUrl(victoriaLogsUrl, 'VICTORIALOGS_URL');
  return { ...base, sessionId, userId: values.user, sinceMs, since: values.since, limit, services: values.service };
}
