import { setTimeout as sleep } from 'node:timers/promises';
import yoctoSpinner from 'yocto-spinner';
import { findTraces, JaegerClient, JaegerError, nextSessionsIn, previousSessionIn, summarizeSession } from './jaeger/index.ts';
import { MAX_CHAIN_LENGTH, parseLookupArgs, USAGE, UsageError, type LookupOptions } from './lookup-args.ts';
import {
  formatChainJson,
  formatFollowLine,
  formatJson,
  formatJsonLine,
  formatJsonLogLine,
  formatLogsReport,
  formatReport,
  formatSessionLinks,
  formatTraceWithLogs,
  formatUnlistedLogs,
  paint,
} from './output/index.ts';
import { FollowedSession, withLogs, type ChainReport, type LookupReport } from './report/index.ts';
import { stripControlCharacters } from './text/index.ts';
import { hashUserId } from './user-id-hash.ts';
import { findLogs, LOG_LINE_LIMIT, VictoriaLogsClient } from './victorialogs/index.ts';

/** Exit codes of the command (docs/session-lookup.md). */
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
  /** `--follow --logs`: how long a line waits for its trace to appear before it is printed without it. Default 15 s. */
  readonly followGraceMs?: number;
}

/** One line on stderr; the message may quote Jaeger, so it is cleaned of control characters. */
function complain(io: LookupIo, message: string): void {
  io.stderr.write(`session-traces: ${stripControlCharacters(message)}\n`);
}

/** A line saying that the log lines are missing, or that some were left out. */
interface LogsNotice {
  readonly kind: 'missing' | 'truncated';
  readonly text: string;
}

/** The notice about the log lines of `report`; `undefined` when all are here (or there is no `--logs`). */
function logsNotice(report: LookupReport): LogsNotice | undefined {
  if (typeof report.logsMissing === 'string') return { kind: 'missing', text: `logs missing: ${report.logsMissing}` };
  if (report.logsTruncated === true) return { kind: 'truncated', text: `only the newest ${LOG_LINE_LIMIT} log lines are shown; narrow --since to see older ones` };
  return undefined;
}

/**
 * `session-traces`: prints every trace of a session (or user) from Jaeger; with `--logs`, each
 * with its log lines from VictoriaLogs.
 * @returns the exit code: 0 found, 1 none found, 2 usage error, Jaeger unreachable or its
 * answer unusable (with one line on stderr saying which). Missing log lines do not change it.
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
  const logStore = options.logs ? new VictoriaLogsClient(options.victoriaLogsUrl) : undefined;
  const stopped = new AbortController();
  if (options.follow) {
    // From the start, so that Ctrl-C during the first search also ends the command cleanly.
    void io.interrupted().then(() => {
      stopped.abort(new Error('interrupted (Ctrl-C)'));
    });
  }
  // The collector hashes `user.id` in log records as in spans, so the lines are found by the same tag as the traces.
  const lookup = async (sessionId: string | undefined = options.sessionId): Promise<LookupReport> => {
    const [field, value] = options.userId === undefined ? ['session.id', sessionId ?? ''] : ['user.id', hashUserId(options.userId)];
    const tags = { [field]: value };
    const sinceMs = Date.now() - options.sinceMs;
    const query = { tags, sinceMs, limit: options.limit, ...(options.services === undefined ? {} : { services: options.services }) };
    // Ended once all are done, so a search that failed does not leave the others running.
    const done = new AbortController();
    const signal = AbortSignal.any([stopped.signal, done.signal]);
    try {
      // One query for the lines of the whole window; for a session, one more (per service)
      // for the sessions that replaced it.
      const [result, logs, successors] = await Promise.all([
        findTraces(jaeger, query, signal),
        logStore === undefined ? undefined : findLogs(logStore, { field, value, sinceMs }, signal),
        // Not while following: the links are a one-off report's (and --chain's).
        sessionId === undefined || options.userId !== undefined || options.follow
          ? undefined
          : findTraces(jaeger, { ...query, tags: { 'session.previous_id': sessionId } }, signal),
      ]);
      const entryService = result.traces[0]?.entryService;
      const report: LookupReport = {
        tags,
        since: options.since,
        servicesSearched: result.services,
        jaegerUrl: jaeger.baseUrl.href,
        searchUrl: entryService === undefined ? null : jaeger.searchUrl(entryService, tags),
        // Not while following: new traces keep coming, and what is printed is each trace as it arrives.
        ...(options.follow ? {} : { summary: summarizeSession(result.requests) }),
        traces: result.traces,
        ...(successors === undefined || sessionId === undefined
          ? {}
          : { previousSessionId: previousSessionIn(result.links, sessionId), nextSessionIds: nextSessionsIn(successors.links, sessionId) }),
      };
      return logStore === undefined || logs === undefined ? report : withLogs(report, logs, logStore.baseUrl.href);
    } finally {
      done.abort();
    }
  };

  const searching = logStore === undefined ? jaeger.displayUrl : `${jaeger.displayUrl} and ${logStore.displayUrl}`;
  const spinner = io.stderr.isTTY && !options.json ? yoctoSpinner({ text: `Searching ${searching}`, stream: io.stderr, handleSignals: false }).start() : undefined;
  let report: LookupReport;
  let chain: ChainReport | undefined;
  try {
    report = await lookup();
    if (options.chain) chain = await followChain(report, lookup);
  } catch (error) {
    spinner?.stop();
    if (stopped.signal.aborted) return EXIT.NONE;
    if (!(error instanceof JaegerError)) throw error;
    complain(io, error.message);
    return EXIT.FAILED;
  }
  spinner?.stop();
  if (chain !== undefined) return printChain(chain, io, options);

  const output = { stream: io.stdout };
  if (options.json && options.follow) {
    for (const trace of report.traces) io.stdout.write(formatJsonLine(trace));
    for (const line of report.logs ?? []) io.stdout.write(formatJsonLogLine(line));
  } else if (options.json) io.stdout.write(formatJson(report));
  else if (options.logs) io.stdout.write(formatSessionLinks(report) + formatLogsReport(report, output));
  else if (report.traces.length > 0) io.stdout.write(formatSessionLinks(report) + formatReport(report, output));
  else io.stdout.write(formatSessionLinks(report));
  const notice = logsNotice(report);
  if (notice !== undefined) complain(io, notice.text);
  const what = options.userId === undefined ? `session ${options.sessionId ?? ''}` : `user ${options.userId}`;
  if (report.traces.length === 0 && !options.json) {
    complain(io, `no traces of ${what} in the last ${options.since} (searched ${report.servicesSearched.length} services)`);
  }
  if (!options.follow) return report.traces.length > 0 ? EXIT.FOUND : EXIT.NONE;
  const session = new FollowedSession(io.followGraceMs ?? 15_000);
  session.printed(report);
  return follow(lookup, session, notice, stopped.signal, io, options);
}

/** The id of the session `report` is about (a chain is made of session lookups only). */
const sessionOf = (report: LookupReport): string => report.tags['session.id'] ?? '';

/**
 * `--chain`: from the session of `start`, the sessions it replaced (back through each one's
 * previous session) and those that replaced it (forward through each one's first next
 * session), looked up one by one; oldest first, at most {@link MAX_CHAIN_LENGTH}, cut around
 * the session asked for. A link back to a session already in the chain ends it (a browser's
 * links are its own claims, so a chain may loop).
 */
async function followChain(start: LookupReport, lookup: (sessionId: string) => Promise<LookupReport>): Promise<ChainReport> {
  const sessions: LookupReport[] = [start];
  const seen = new Set([sessionOf(start)]);
  let truncated = false;
  let loopsBackTo: string | null = null;
  const step = async (next: string | null | undefined, add: (report: LookupReport) => void): Promise<LookupReport | undefined> => {
    if (next === null || next === undefined) return undefined;
    if (seen.has(next)) {
      loopsBackTo ??= next;
      return undefined;
    }
    if (sessions.length >= MAX_CHAIN_LENGTH) {
      truncated = true;
      return undefined;
    }
    seen.add(next);
    const report = await lookup(next);
    add(report);
    return report;
  };
  // Half the room each way first, so that a long chain is cut around the session asked for.
  const half = Math.floor(MAX_CHAIN_LENGTH / 2);
  let oldest: LookupReport | undefined = start;
  while (oldest !== undefined && sessions.length < half) oldest = await step(oldest.previousSessionId, (report) => sessions.unshift(report));
  let newest: LookupReport | undefined = start;
  while (newest !== undefined) newest = await step(newest.nextSessionIds?.[0], (report) => sessions.push(report));
  while (oldest !== undefined) oldest = await step(oldest.previousSessionId, (report) => sessions.unshift(report));
  return { sessions, truncated, loopsBackTo };
}

/** Prints every session of `chain`, each headed `Session <id> (n of m)`; the exit code. */
function printChain(chain: ChainReport, io: LookupIo, options: LookupOptions): number {
  const output = { stream: io.stdout };
  if (options.json) io.stdout.write(formatChainJson(chain));
  else {
    for (const [i, report] of chain.sessions.entries()) {
      const body = options.logs ? formatLogsReport(report, output) : report.traces.length > 0 ? formatReport(report, output) : 'no traces\n';
      io.stdout.write(`${i === 0 ? '' : '\n'}${paint('bold', `Session ${stripControlCharacters(sessionOf(report))} (${i + 1} of ${chain.sessions.length})`, output)}\n${formatSessionLinks(report)}${body}`);
    }
  }
  for (const report of chain.sessions) {
    const notice = logsNotice(report);
    if (notice !== undefined) complain(io, `${sessionOf(report)}: ${notice.text}`);
    const [followed, ...others] = report.nextSessionIds ?? [];
    if (followed !== undefined && others.length > 0) {
      complain(io, `${sessionOf(report)} was replaced by ${others.length + 1} sessions; the chain follows ${followed}, not ${others.join(', ')}`);
    }
  }
  if (chain.truncated) complain(io, `the chain goes on past the ${chain.sessions.length} sessions shown`);
  if (chain.loopsBackTo !== null) complain(io, `the chain comes back to ${chain.loopsBackTo}, already shown, and ends there`);
  return chain.sessions.some((report) => report.traces.length > 0) ? EXIT.FOUND : EXIT.NONE;
}

/**
 * `--follow`: prints traces (and with `--logs`, log lines) as they appear until `stopped`
 * aborts. Both the wait between polls and the poll itself are aborted by it, so nothing keeps
 * the process alive after Ctrl-C. A notice about the log lines is printed when its kind
 * changes (not on every poll while the store is down, nor when only the reason changes).
 */
async function follow(
  lookup: () => Promise<LookupReport>,
  session: FollowedSession,
  lastNotice: LogsNotice | undefined,
  stopped: AbortSignal,
  io: LookupIo,
  options: LookupOptions,
): Promise<number> {
  io.stderr.write('session-traces: following; Ctrl-C to stop\n');
  const output = { stream: io.stdout };
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
    const update = session.next(report);
    for (const trace of update.traces) {
      if (options.json) io.stdout.write(formatJsonLine(trace));
      else io.stdout.write(options.logs ? formatTraceWithLogs(trace, output) : formatFollowLine(trace, output));
    }
    if (options.json) for (const line of update.unlisted) io.stdout.write(formatJsonLogLine(line));
    else io.stdout.write(formatUnlistedLogs(update.unlisted, output));
    const notice = logsNotice(report);
    if (notice !== undefined && notice.kind !== lastNotice?.kind) complain(io, `${notice.text} (still following)`);
    lastNotice = notice;
  }
  return session.traceCount > 0 ? EXIT.FOUND : EXIT.NONE;
}
