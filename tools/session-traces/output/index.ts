/**
 * The report printed: the trace table and its links, one line per trace (`--follow`), the
 * log lines (`--logs`), and JSON (`--json`), every value from the stores cleaned first.
 */
export { formatReport, formatFollowLine, formatSessionLinks, formatJson, formatJsonLine, formatChainJson, paint, type Output } from './format-output.ts';
export { formatLogsReport, formatTraceWithLogs, formatUnlistedLogs, formatJsonLogLine } from './format-logs.ts';
