import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { formatJson, formatReport, type LookupReport } from '../../../src/trace-lookup/format-output.ts';
import { summarizeTrace } from '../../../src/trace-lookup/trace-summary.ts';
import { downstreamTrace, failedTrace } from './fixtures.ts';

const report: LookupReport = {
  tags: { 'session.id': 'session-fix' },
  since: '24h',
  servicesSearched: ['api', 'orders'],
  jaegerUrl: 'http://jaeger:16686/',
  searchUrl: 'http://jaeger:16686/search?service=api&tags=%7B%22session.id%22%3A%22session-fix%22%7D',
  traces: [downstreamTrace(), failedTrace()].map((trace) => summarizeTrace(trace, (id) => `http://jaeger:16686/trace/${id}`)),
};

/** A stream that is not a terminal, as stdout is when piped. */
const piped = (): NodeJS.WriteStream => new PassThrough() as unknown as NodeJS.WriteStream;

describe('formatReport', () => {
  const text = formatReport(report, { stream: piped() });

  it('prints one row per trace with start, duration, entry, operation, status, spans, services, error and user', () => {
    const rows = text.split('\n').filter((line) => !line.includes('trace') && /\d{4}-\d{2}-\d{2}/.test(line));
    expect(rows).to.have.length(2);
    for (const cell of ['2026-11-27 10:00:00.000', '12.3 ms', 'api', 'GET /api/downstream', '200', '3', 'api,orders', 'hash-of-use']) {
      expect(rows[0]).to.include(cell);
    }
    expect(rows[1]).to.include('POST /api/login').and.include('500').and.include('ERROR');
  });

  it('lists a Jaeger UI link per trace and one search link for the whole session', () => {
    expect(text).to.include('http://jaeger:16686/trace/trace-a').and.include('http://jaeger:16686/trace/trace-b');
    expect(text).to.include(`All of them: ${report.searchUrl!}`);
  });

  it('writes no colour codes when the output is not a terminal', () => {
    expect(text).not.to.include('\u001b[');
  });
});

describe('formatJson', () => {
  it('prints the documented, stable shape', () => {
    const parsed = JSON.parse(formatJson(report)) as Record<string, unknown>;
    expect(Object.keys(parsed)).to.deep.equal(['tags', 'since', 'servicesSearched', 'jaegerUrl', 'searchUrl', 'traces']);
    const [first] = parsed['traces'] as Record<string, unknown>[];
    expect(Object.keys(first!)).to.deep.equal([
      'traceId', 'startTime', 'durationMs', 'entryService', 'operation', 'httpStatus', 'spanCount', 'services', 'error', 'userId', 'url',
    ]);
  });
});
