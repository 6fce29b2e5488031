/**
 * What a lookup found, as one document (what `--json` prints): the traces, the session's
 * neighbours and, with `--logs`, the log lines merged in; and what each poll of `--follow` adds.
 */
export type { LookupReport, ReportedTrace, ChainReport } from './lookup-report.ts';
export { withLogs } from './with-logs.ts';
export { FollowedSession, type FollowUpdate } from './followed-session.ts';
