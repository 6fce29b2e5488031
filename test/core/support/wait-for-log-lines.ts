import { waitFor } from './service-process.ts';

/** One JSON log line, parsed. */
export type LogLine = Record<string, unknown>;

/** Whatever hands out the log lines written so far: a ServiceProcess, a TestApp. */
export interface LogSource {
  logLines(): LogLine[];
}

/**
 * Waits until `source` has written a line matching `matches` and returns the first such line.
 *
 * A line is read some time after the response that caused it: the access line is written on
 * the response's 'finish', which can come after the client has the answer, and a process's
 * stdout is read on its own schedule. Assert on a line only after waiting for that line.
 */
export async function waitForLogLine(
  source: LogSource,
  what: string,
  matches: (line: LogLine) => boolean,
  timeoutMs = 10_000,
): Promise<LogLine> {
  let found: LogLine | undefined;
  await waitFor(
    `the log line ${what}`,
    () => {
      found = source.logLines().find(matches);
      return found !== undefined;
    },
    timeoutMs,
    () => `${source.logLines().length} other lines written`,
  );
  return found!;
}

/**
 * Waits until `source` has written, for each of `keys`, a line whose `keyOf` is that key
 * (lines for which `keyOf` gives undefined do not count), and returns the first line of each
 * key. The timeout names the keys still missing.
 */
export async function waitForLogLines(
  source: LogSource,
  what: string,
  keys: readonly string[],
  keyOf: (line: LogLine) => string | undefined,
  timeoutMs = 10_000,
): Promise<Map<string, LogLine>> {
  let byKey = new Map<string, LogLine>();
  const missing = (): string[] => keys.filter((key) => !byKey.has(key));
  await waitFor(
    `${what} (${keys.length} lines)`,
    () => {
      byKey = new Map();
      for (const line of source.logLines()) {
        const key = keyOf(line);
        if (key !== undefined && !byKey.has(key)) byKey.set(key, line);
      }
      return missing().length === 0;
    },
    timeoutMs,
    () => `${missing().length} missing: ${missing().slice(0, 10).join(', ')}${missing().length > 10 ? ', ...' : ''}`,
  );
  return byKey;
}

/** The trace id of an access line (`request completed` or `request aborted`), else undefined. */
export function accessLineTraceId(line: LogLine): string | undefined {
  const isAccessLine = line['message'] === 'request completed' || line['message'] === 'request aborted';
  return isAccessLine && typeof line['trace_id'] === 'string' ? line['trace_id'] : undefined;
}

/**
 * The lines `source` wrote from line `from` on, once they include `requests` access lines
 * (`request completed` or `request aborted`): everything those requests logged, including
 * what they logged before their response. Use it before asserting that a line is absent.
 */
export async function linesOfRequests(source: LogSource, from: number, requests: number, timeoutMs = 10_000): Promise<LogLine[]> {
  const since = (): LogLine[] => source.logLines().slice(from);
  const accessLines = (): number =>
    since().filter((line) => line['message'] === 'request completed' || line['message'] === 'request aborted').length;
  await waitFor(`the access lines of ${requests} request(s)`, () => accessLines() >= requests, timeoutMs, () => `${accessLines()} written`);
  return since();
}
