import type { SessionSummary, TraceSummary } from '../jaeger/index.ts';
import type { LogLine } from '../victorialogs/index.ts';

/** A trace as reported; with `--logs`, with the lines logged in it, oldest first (`null` when the logs are missing). */
export type ReportedTrace = TraceSummary & { readonly logs?: readonly LogLine[] | null };

/**
 * What the lookup found, as `--json` prints it. Field names are stable (docs/session-lookup.md); the fields
 * marked `--logs` are there only with `--logs`.
 */
export interface LookupReport {
  /** The tag searched for: `{"session.id": …}` or `{"user.id": <sha256>}`. */
  readonly tags: Readonly<Record<string, string>>;
  readonly since: string;
  readonly servicesSearched: readonly string[];
  /** The query address, without credentials. */
  readonly jaegerUrl: string;
  /** Jaeger UI search for the whole session (or user), in the entry service. */
  readonly searchUrl: string | null;
  /** `--logs`: the log store's address, without credentials. */
  readonly victoriaLogsUrl?: string;
  /** `--logs`: why the log lines are missing (the store could not be asked, or its answer was unusable); `null` when they are here. */
  readonly logsMissing?: string | null;
  /** `--logs`: true when the store gave as many lines as asked for, so older lines were left out. */
  readonly logsTruncated?: boolean;
  /**
   * What the traces add up to (requests, errors, durations per route, services, first and
   * last time); `null` when there are no traces. Absent with `--follow`, whose traces keep coming.
   */
  readonly summary?: SessionSummary | null;
  readonly traces: readonly ReportedTrace[];
  /** A session lookup: the session it replaced (`null`: none found); absent with `--user`. */
  readonly previousSessionId?: string | null;
  /** A session lookup: the sessions that replaced it, oldest first; absent with `--user`. */
  readonly nextSessionIds?: readonly string[];
  /** `--logs`: the session's lines in no listed trace, oldest first; `null` when the logs are missing. */
  readonly logs?: readonly LogLine[] | null;
}

/** What `--chain --json` prints: every session's report, oldest first. */
export interface ChainReport {
  readonly sessions: readonly LookupReport[];
  /** True when the chain went on past the sessions shown (`MAX_CHAIN_LENGTH`). */
  readonly truncated: boolean;
  /** The session the chain came back to (a link to one it holds), where it ended; `null` when none. */
  readonly loopsBackTo: string | null;
}
