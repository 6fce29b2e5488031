/**
 * The traces of a session from Jaeger: its query API (client, answers, errors), the search of
 * every service merged by trace id, each trace reduced to its row, the links between
 * sessions its spans carry, and the session summary (requests, errors, durations per route)
 * computed from its server spans.
 */
export { JaegerClient, DEFAULT_MAX_ANSWER_BYTES, DEFAULT_MAX_CONCURRENT_REQUESTS, type JaegerClientOptions, type TraceSearch } from './jaeger-client.ts';
export { JaegerError, JaegerUnavailableError, JaegerAnswerError } from './jaeger-errors.ts';
export { parseServicesAnswer, parseTracesAnswer, type JaegerSpan, type JaegerTrace } from './jaeger-answer.ts';
export { findTraces, type TraceQuery, type TraceQueryResult } from './find-traces.ts';
export { summarizeTrace, type TraceSummary } from './trace-summary.ts';
export { nextSessionsIn, previousSessionIn, type LinkSpan } from './session-links.ts';
export { requestsOf, type ServedRequest, type TraceRequests } from './served-requests.ts';
export { summarizeSession, nearestRank, type SessionSummary, type ServiceRequests, type RouteRequests } from './session-summary.ts';
