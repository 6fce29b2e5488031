import { expect } from 'chai';
import { summarizeTrace } from '../../../../../tools/session-traces/jaeger/trace-summary.ts';
import { downstreamTrace, failedTrace, span } from '../../../support/session-traces/fixtures.ts';

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

  it('summarizes a trace of 200,000 spans without overflowing the stack', () => {
    const spans = Array.from({ length: 200_000 }, (_, index) => span(`s${index}`, index === 0 ? undefined : `s${index - 1}`, index % 2 === 0 ? 'p1' : 'p2', 'op', 1_000_000 + index, 1000));
    const summary = summarizeTrace({ traceID: 'big', processes: { p1: { serviceName: 'api' }, p2: { serviceName: 'orders' } }, spans }, url);
    expect(summary).to.deep.include({ spanCount: 200_000, services: ['api', 'orders'], operation: 'op', durationMs: 201 });
  });

  it("reports no status when the entry span's status tag is not a number", () => {
    const trace = failedTrace();
    const spans = trace.spans.map((s) => ({ ...s, tags: [{ key: 'http.response.status_code', value: 'teapot' }] }));
    expect(summarizeTrace({ ...trace, spans }, url).httpStatus).to.equal(null);
  });
});
