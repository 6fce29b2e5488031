/** Trace lookup by session or user: the `session-traces` command and its parts. */
export { runLookup, EXIT, type LookupIo } from './run-lookup.ts';
export { parseLookupArgs, UsageError, USAGE, type LookupOptions } from './lookup-args.ts';
export { JaegerClient, DEFAULT_MAX_ANSWER_BYTES, type JaegerClientOptions, type TraceSearch } from './jaeger-client.ts';
export { JaegerError, JaegerUnavailableError, JaegerAnswerError } from './jaeger-errors.ts';
export { parseServicesAnswer, parseTracesAnswer, AnswerShapeError, type JaegerSpan, type JaegerTrace } from './jaeger-answer.ts';
export { parseJaegerUrl, JaegerUrlError, type JaegerEndpoint } from './jaeger-url.ts';
export { stripControlCharacters } from './strip-control-characters.ts';
export { findTraces, type TraceQuery, type TraceQueryResult } from './find-traces.ts';
export { summarizeTrace, type TraceSummary } from './trace-summary.ts';
export { formatReport, formatJson, formatJsonLine, formatFollowLine, type LookupReport } from './format-output.ts';
export { hashUserId } from './user-id-hash.ts';
export { parseDuration } from './duration.ts';
