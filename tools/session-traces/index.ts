/** Trace lookup by session or user: the `session-traces` command and its parts. */
export { runLookup, EXIT, type LookupIo } from './run-lookup.ts';
export { parseLookupArgs, UsageError, USAGE, type LookupOptions } from './lookup-args.ts';
export {
  JaegerClient,
  DEFAULT_MAX_ANSWER_BYTES,
  DEFAULT_MAX_CONCURRENT_REQUESTS,
  type JaegerClientOptions,
  type TraceSearch,
  JaegerError,
  JaegerUnavailableError,
  JaegerAnswerError,
  parseServicesAnswer,
  parseTracesAnswer,
  type JaegerSpan,
  type JaegerTrace,
  findTraces,
  type TraceQuery,
  type TraceQueryResult,
  type LinkSpan,
  summarizeTrace,
  type TraceSummary,
} from './jaeger/index.ts';
export { AnswerShapeError, parseEndpointUrl, EndpointUrlError, type Endpoint } from './http/index.ts';
export {
  VictoriaLogsClient,
  type VictoriaLogsClientOptions,
  type LogSearch,
  VictoriaLogsError,
  parseLogsAnswer,
  type LogLine,
  findLogs,
  LOG_LINE_LIMIT,
  type LogsFound,
  groupLogs,
  type GroupedLogs,
} from './victorialogs/index.ts';
export { withLogs, type LookupReport, type ReportedTrace } from './report/index.ts';
export { stripControlCharacters } from './text/index.ts';
export { formatReport, formatJson, formatJsonLine, formatFollowLine, formatLogsReport, formatJsonLogLine } from './output/index.ts';
export { hashUserId } from './user-id-hash.ts';
export { parseDuration } from './duration.ts';
