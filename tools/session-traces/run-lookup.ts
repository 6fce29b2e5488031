import { setTimeout as sleep } from 'node:timers/promises';
import yoctoSpinner from 'yocto-spinner';
import { findTraces } from './find-traces.ts';
import { JaegerClient } from './jaeger-client.ts';
import { JaegerError } from './jaeger-errors.ts';
import { formatFollowLine, formatJson, formatJsonLine, formatReport, type LookupReport } from './format-output.ts';
import { parseLookupArgs, USAGE, UsageError, type LookupOptions } from './lookup-args.ts';
import { stripControlCharacters } from './strip-control-characters.ts';
import { hashUserId } from './user-id-hash.ts';

/** Exit codes of the command (README). */
export const EXIT = { FOUND: 0, NONE: 1, FAILED: 2 } as const;

/** The process the command talks to; tests pass their own streams. */
export interface LookupIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /**
   * Starts listening for Ctrl-C; called once, at the start, only with `--follow`. Resolves
   * when it comes: the pending request or wait is aborted and the command returns at once.
   */
  readonly interrupted: () => Promise<void>;
  /** Poll interval of `--follow`. Default 2 s. */
  readonly followIntervalMs?: number;
}

/** One line on stderr; the message may quote Jaeger, so it is cleaned of control characters. */
function complain(io: LookupIo, message: string): void {
  io.stderr.write(`session-traces: ${stripControlCharacters(message)}\n`);
}

/**
 * `session-traces`: prints every trace of a session (or user) from Jaeger.
 * @returns the exit code: 0 found, 1 none found, 2 usage error, Jaeger unreachable or its
 * answer unusable (with one line on stderr saying which).
 */
export async function runLookup(argv: readonly string[], io: LookupIo): Promise<number> {
  let options: LookupOptions;
  try {
    options = parseLookupArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    complain(io, error.message);
    io.stderr.write('Run session-traces --help for usage.\n');
    return EXIT.FAILED;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.FOUND;
  }

  const jaeger = new JaegerClient(options.jaegerUrl);
  const stopped = new AbortController();
  if (options.follow) {
    // From the start, so that Ctrl-C during the first search also ends the command cleanly.
    void io.interrupted().then(() => {
      stopped.abort(new Error('interrupted (Ctrl-C)'));
    });
  }
  const tags = options.userId === undefined ? { 'session.id': options.sessionId ?? '' } : { 'user.id': hashUserId(options.userId) };
  const lookup = async (): Promise<LookupReport> => {
    const query = {
      tags,
      sinceMs: Date.now() - options.sinceMs,
      limit: options.limit,
      ...(options.services === undefined ? {} : { services: options.services }),
    };
    const result = await findTraces(jaeger, query, stopped.signal);
    const entryService = result.traces[0]?.entryService;
    return {
      tags,
      since: options.since,
      servicesSearched: result.services,
      jaegerUrl: jaeger.baseUrl.href,
      searchUrl: entryService === undefined ? null : jaeger.searchUrl(entryService, tags),
      traces: result.traces,
    };
  };

  const spinner = io.stderr.isTTY && !options.json ? yoctoSpinner({ text: `Searching ${jaeger.displayUrl}`, stream: io.stderr, handleSignals: false }).start() : undefined;
  let report: LookupReport;
  try {
    report = await lookup();
  } catch (error) {
    spinner?.stop();
    if (stopped.signal.aborted) return EXIT.NONE;
    if (!(error instanceof JaegerError)) throw error;
    complain(io, error.message);
    return EXIT.FAILED;
  }
  spinner?.stop();

  const output = { stream: io.stdout };
  if (options.json && options.follow) for (const trace of report.traces) io.stdout.write(formatJsonLine(trace));
  else if (options.json) io.stdout.write(formatJson(report));
  else if (report.traces.length > 0) io.stdout.write(formatReport(report, output));
  const what = options.userId === undefined ? `session ${options.sessionId ?? ''}` : `user ${options.userId}`;
  if (report.traces.length === 0 && !options.json) {
    complain(io, `no traces of ${what} in the last ${options.since} (searched ${report.servicesSearched.length} services)`);
  }
  if (!options.follow) return report.traces.length > 0 ? EXIT.FOUND : EXIT.NONE;
  return follow(lookup, new Set(report.traces.map((trace) => trace.traceId)), stopped.signal, io, options);
}

/**
 * `--follow`: prints traces as they appear until `stopped` aborts. Both the wait between polls
 * and the poll itself are aborted by it, so nothing keeps the process alive after Ctrl-C.
 */
async function follow(
  lookup: () => Promise<LookupReport>,
  seen: Set<string>,
  stopped: AbortSignal,
  io: LookupIo,
  options: LookupOptions,
): Promise<number> {
  io.stderr.write('session-traces: following; Ctrl-C to stop\n');
  for (;;) {
    // Rejects at once when already aborted, so Ctrl-C during a poll also ends here.
    try {
      await sleep(io.followIntervalMs ?? 2000, undefined, { signal: stopped });
    } catch (error) {
      if (stopped.aborted) break;
      throw error;
    }
    let report: LookupReport;
    try {
      report = await lookup();
    } catch (error) {
      if (stopped.aborted) break;
      if (!(error instanceof JaegerError)) throw error;
      complain(io, `${error.message} (still following)`);
      continue;
    }
    for (const trace of report.traces) {
      if (seen.has(trace.traceId)) continue;
      seen.add(trace.traceId);
      io.stdout.write(options.json ? formatJsonLine(trace) : formatFollowLine(trace, { stream: io.stdout }));
    }
  }
  return seen.size > 0 ? EXIT.FOUND : EXIT.NONE;
}
