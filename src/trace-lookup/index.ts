/** Trace lookup by session or user: the `session-traces` command and its parts. */
export { runLookup, EXIT, type LookupIo } from './run-lookup.ts';
export { parseLookupArgs, UsageError, USAGE, type LookupOptions } from './lookup-args.ts';
export { JaegerClient, JaegerUnavailableError, type JaegerSpan, type JaegerTrace, type TraceSearch } from './jaeger-client.ts';
export { findTraces, type TraceQuery, type TraceQueryResult } from './find-traces.ts';
export { summarizeTrace, type TraceSummary } from './trace-summary.ts';
export { formatReport, formatJson, formatFollowLine, type LookupReport } from './format-output.ts';
export { hashUserId } from './user-id-hash.ts';
export { parseDuration } from './duration.ts';
