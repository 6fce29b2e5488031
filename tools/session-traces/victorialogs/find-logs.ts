import type { LogLine } from './victorialogs-answer.ts';
import type { LogSearch, VictoriaLogsClient } from './victorialogs-client.ts';
import { VictoriaLogsError } from './victorialogs-error.ts';

/** Most log lines asked for in one lookup; the store keeps the newest. */
export const LOG_LINE_LIMIT = 10_000;

/** The session's log lines, or why they are missing. */
export type LogsFound =
  | { readonly lines: readonly LogLine[]; readonly truncated: boolean; readonly missing: null }
  | { readonly lines: null; readonly truncated: false; readonly missing: string };

/**
 * Asks the store once for every line of the search's window (at most {@link LOG_LINE_LIMIT}).
 * A store that cannot be used is not an error of the lookup: the result says why the lines are missing.
 * @param signal aborts the request; the promise then rejects with the signal's reason.
 */
export async function findLogs(store: VictoriaLogsClient, search: Omit<LogSearch, 'limit'>, signal?: AbortSignal): Promise<LogsFound> {
  try {
    const lines = await store.query({ ...search, limit: LOG_LINE_LIMIT }, signal);
    return { lines, truncated: lines.length >= LOG_LINE_LIMIT, missing: null };
  } catch (error) {
    if (signal?.aborted === true || !(error instanceof VictoriaLogsError)) throw error;
    return { lines: null, truncated: false, missing: error.message };
  }
}
