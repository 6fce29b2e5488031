/** Trace lookup by session or user: the `session-traces` command and its parts. */
export { runLookup, EXIT, type LookupIo } from './run-lookup.ts';
export { parseLookupArgs, UsageError, USAGE, type LookupOptions } from './lookup-args.ts';
export { JaegerClient, DEFAULT_MAX_ANSWER_BYTES, type JaegerClientOptions, type TraceSearch } from './jaeger-client.ts';
export { JaegerError, JaegerUnavailableError, JaegerAnswerError } from './jaeger-errors.ts';
export { parseServicesAnswer, parseTracesAnswer, AnswerShapeError, type JaegerSpan, type JaegerTrace } from './jaeger-answer.ts';
export { parseEndpointUrl, EndpointUrlError, type Endpoint } from './endpoint-url.ts';
export { VictoriaLogsClient, type VictoriaLogsClientOptions, type LogSearch } from './victorialogs-client.ts';
export { VictoriaLogsError } from './victorialogs-error.ts';
export { parseLogsAnswer, type LogLine } from './victorialogs-answer.ts';
export { findLogs, withLogs, LOG_LINE_LIMIT, type LogsFound } from './find-logs.ts';
export { groupLogs, type GroupedLogs } from './group-logs.ts';
export { stripControlCharacters } from './strip-control-characters.ts';
export { findTraces, type TraceQuery, type TraceQueryResult } from './find-traces.ts';
export { summarizeTrace, type TraceSummary } from './trace-summary.ts';
export { formatReport, formatJson, formatJsonLine, formatFollowLine, type LookupReport, type ReportedTrace } from './format-output.ts';
export { formatLogsReport, formatJsonLogLine } from './format-logs.ts';
export { hashUserId } from './user-id-hash.ts';
export { parseDuration } from './duration.ts';
