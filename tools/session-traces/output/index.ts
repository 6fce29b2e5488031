/**
 * The report printed: the trace table and its links, one line per trace (`--follow`), the
 * log lines (`--logs`), and JSON (`--json`), every value from the stores cleaned first.
 */
export { formatReport, formatFollowLine, formatSessionLinks, formatJson, formatJsonLine, formatChainJson } from './format-output.ts';
export { formatSummary } from './format-summary.ts';
export { paint, type Output } from './paint.ts';
export { formatLogsReport, formatTraceWithLogs, formatUnlistedLogs, formatJsonLogLine } from './format-logs.ts';
