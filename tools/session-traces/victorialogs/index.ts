/**
 * The log lines of a session from VictoriaLogs: its query API (client, LogsQL, answers,
 * error), the fields worth printing, and the lines grouped by the traces Jaeger listed.
 */
export { VictoriaLogsClient, type VictoriaLogsClientOptions, type LogSearch } from './victorialogs-client.ts';
export { VictoriaLogsError } from './victorialogs-error.ts';
export { parseLogsAnswer, type LogLine } from './victorialogs-answer.ts';
export { findLogs, LOG_LINE_LIMIT, type LogsFound } from './find-logs.ts';
export { groupLogs, compareLogLines, traceKey, type GroupedLogs } from './group-logs.ts';
