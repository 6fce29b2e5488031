import { expect } from 'chai';
import { summarizeTrace } from '../../../src/trace-lookup/trace-summary.ts';
import { downstreamTrace, failedTrace } from './fixtures.ts';

const url = (id: string): string => `http://jaeger/trace/${id}`;

describe('summarizeTrace', () => {
  it('describes a cross-service trace by its entry span, whatever the span order', () => {
    expect(summarizeTrace(downstreamTrace(), url)).to.deep.equal({
      traceId: 'trace-a',
      startTime: '2026-11-27T10:00:00.000Z',
      durationMs: 12.3,
      entryService: 'api',
      operation: 'GET /api/downstream',
      httpStatus: 200,
      spanCount: 3,
      services: ['api', 'orders'],
      error: false,
      userId: 'hash-of-user',
      url: 'http://jaeger/trace/trace-a',
    });
  });

  it('marks a trace with an error span and reports its status', () => {
    expect(summarizeTrace(failedTrace(), url)).to.deep.include({ error: true, httpStatus: 500, userId: null, services: ['api'] });
  });
});
