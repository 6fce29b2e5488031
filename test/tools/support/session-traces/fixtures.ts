import type { JaegerSpan, JaegerTrace } from '../../../../tools/session-traces/jaeger/jaeger-answer.ts';
import { requestsOf } from '../../../../tools/session-traces/jaeger/served-requests.ts';
import { summarizeSession } from '../../../../tools/session-traces/jaeger/session-summary.ts';
import { summarizeTrace } from '../../../../tools/session-traces/jaeger/trace-summary.ts';
import type { LookupReport } from '../../../../tools/session-traces/report/lookup-report.ts';

type Tags = Record<string, string | number | boolean>;

/** A span in the shape Jaeger's query API returns. */
export function span(id: string, parent: string | undefined, processID: string, operationName: string, startUs: number, durationUs: number, tags: Tags = {}): JaegerSpan {
  return {
    traceID: 'trace-a',
    spanID: id,
    operationName,
    references: parent === undefined ? [] : [{ refType: 'CHILD_OF', spanID: parent }],
    startTime: startUs,
    duration: durationUs,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
    processID,
  };
}

const START = Date.UTC(2026, 10, 27, 10, 0, 0) * 1000;

/** A downstream call: api's server span, its client span, and orders' server span (the two server spans with `http.route`). */
export function downstreamTrace(traceID = 'trace-a', offsetUs = 0): JaegerTrace {
  return {
    traceID,
    processes: { p1: { serviceName: 'api' }, p2: { serviceName: 'orders' } },
    spans: [
      span('s3', 's2', 'p2', 'GET /api/session', START + offsetUs + 2000, 3000, {
        'session.id': 'session-fix',
        'user.id': 'hash-of-user',
        'http.response.status_code': 200,
        'span.kind': 'server',
        'http.route': '/api/session',
      }),
      span('s1', undefined, 'p1', 'GET /api/downstream', START + offsetUs, 12_345, {
        'session.id': 'session-fix',
        'http.response.status_code': 200,
        'span.kind': 'server',
        'http.route': '/api/downstream',
      }),
      span('s2', 's1', 'p1', 'GET', START + offsetUs + 1000, 6000, { 'session.id': 'session-fix', 'span.kind': 'client' }),
    ].map((s) => ({ ...s, traceID })),
  };
}

/** A failed login: one service, status 500, error tag. */
export function failedTrace(traceID = 'trace-b', offsetUs = 60_000_000): JaegerTrace {
  return {
    traceID,
    processes: { p1: { serviceName: 'api' } },
    spans: [
      span('e1', undefined, 'p1', 'POST /api/login', START + offsetUs, 2000, {
        'session.id': 'session-fix',
        'http.response.status_code': 500,
        'otel.status_code': 'ERROR',
        'span.kind': 'server',
        'http.route': '/api/login',
      }),
    ].map((s) => ({ ...s, traceID })),
  };
}

/** What the lookup reports for session-fix: {@link downstreamTrace} and {@link failedTrace}, from a Jaeger at jaeger:16686. */
export const exampleReport: LookupReport = {
  tags: { 'session.id': 'session-fix' },
  since: '24h',
  servicesSearched: ['api', 'orders'],
  jaegerUrl: 'http://jaeger:16686/',
  searchUrl: 'http://jaeger:16686/search?service=api&tags=%7B%22session.id%22%3A%22session-fix%22%7D',
  summary: summarizeSession([downstreamTrace(), failedTrace()].map(requestsOf)),
  traces: [downstreamTrace(), failedTrace()].map((trace) => summarizeTrace(trace, (id) => `http://jaeger:16686/trace/${id}`)),
};
