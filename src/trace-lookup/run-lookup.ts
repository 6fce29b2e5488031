import { setTimeout as sleep } from 'node:timers/promises';
import yoctoSpinner from 'yocto-spinner';
import { findTraces } from './find-traces.ts';
import { JaegerClient, JaegerUnavailableError } from './jaeger-client.ts';
import { formatFollowLine, formatJson, formatReport, type LookupReport } from './format-output.ts';
import { parseLookupArgs, USAGE, UsageError, type LookupOptions } from './lookup-args.ts';
import { hashUserId } from './user-id-hash.ts';

/** Exit codes of the command (README). */
export const EXIT = { FOUND: 0, NONE: 1, FAILED: 2 } as const;

/** The process the command talks to; tests pass their own streams. */
export interface LookupIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Starts listening for Ctrl-C; called only with `--follow`. Resolves when it comes. */
  readonly interrupted: () => Promise<void>;
  /** Poll interval of `--follow`. Default 2 s. */
  readonly followIntervalMs?: number;
}

/**
 * `session-traces`: prints every trace of a session (or user) from Jaeger.
 * @returns the exit code: 0 found, 1 none found, 2 usage error or Jaeger unreachable.
 */
export async function runLookup(argv: readonly string[], io: LookupIo): Promise<number> {
  let options: LookupOptions;
  try {
    options = parseLookupArgs(argv, io.env);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`session-traces: ${error.message}\nRun session-traces --help for usage.\n`);
    return EXIT.FAILED;
  }
  if (options.help) {
    io.stdout.write(`${USAGE}\n`);
    return EXIT.FOUND;
  }

  const jaeger = new JaegerClient(options.jaegerUrl);
  const tags = options.userId === undefined ? { 'session.id': options.sessionId ?? '' } : { 'user.id': hashUserId(options.userId) };
  const lookup = async (): Promise<LookupReport> => {
    const result = await findTraces(jaeger, {
      tags,
      sinceMs: Date.now() - options.sinceMs,
      limit: options.limit,
      ...(options.services === undefined ? {} : { services: options.services }),
    });
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

  const spinner = io.stderr.isTTY && !options.json ? yoctoSpinner({ text: `Searching ${options.jaegerUrl}`, stream: io.stderr, handleSignals: false }).start() : undefined;
  let report: LookupReport;
  try {
    report = await lookup();
  } catch (error) {
    spinner?.stop();
    if (!(error instanceof JaegerUnavailableError)) throw error;
    io.stderr.write(`session-traces: ${error.message}\n`);
    return EXIT.FAILED;
  }
  spinner?.stop();

  const output = { stream: io.stdout };
  if (options.json) io.stdout.write(formatJson(report));
  else if (report.traces.length > 0) io.stdout.write(formatReport(report, output));
  const what = options.userId === undefined ? `session ${options.sessionId ?? ''}` : `user ${options.userId}`;
  if (report.traces.length === 0 && !options.json) {
    io.stderr.write(`session-traces: no traces of ${what} in the last ${options.since} (searched ${report.servicesSearched.length} services)\n`);
  }
  if (!options.follow) return report.traces.length > 0 ? EXIT.FOUND : EXIT.NONE;
  return follow(lookup, new Set(report.traces.map((trace) => trace.traceId)), io, options);
}

/** `--follow`: prints traces as they appear, until interrupted. */
async function follow(
  lookup: () => Promise<LookupReport>,
  seen: Set<string>,
  io: LookupIo,
  options: LookupOptions,
): Promise<number> {
  const stopped = new AbortController();
  const interrupted = io.interrupted();
  void interrupted.then(() => {
    stopped.abort();
  });
  io.stderr.write('session-traces: following; Ctrl-C to stop\n');
  for (;;) {
    await Promise.race([sleep(io.followIntervalMs ?? 2000), interrupted]);
    if (stopped.signal.aborted) break;
    try {
      for (const trace of (await lookup()).traces) {
        if (seen.has(trace.traceId)) continue;
        seen.add(trace.traceId);
        io.stdout.write(options.json ? `${JSON.stringify(trace)}\n` : formatFollowLine(trace, { stream: io.stdout }));
      }
    } catch (error) {
      if (!(error instanceof JaegerUnavailableError)) throw error;
      io.stderr.write(`session-traces: ${error.message} (still following)\n`);
    }
  }
  return seen.size > 0 ? EXIT.FOUND : EXIT.NONE;
}
