import { expect } from 'chai';
import { FollowedSession } from '../../../../../tools/session-traces/report/followed-session.ts';
import type { LookupReport } from '../../../../../tools/session-traces/report/lookup-report.ts';
import { withLogs } from '../../../../../tools/session-traces/report/with-logs.ts';
import { summarizeTrace } from '../../../../../tools/session-traces/jaeger/trace-summary.ts';
import { parseLogsAnswer } from '../../../../../tools/session-traces/victorialogs/victorialogs-answer.ts';
import { downstreamTrace, failedTrace } from '../../../support/session-traces/fixtures.ts';
import { storedLine } from '../../../support/session-traces/log-fixtures.ts';

const traceA = summarizeTrace(downstreamTrace(), (id) => `http://jaeger/trace/${id}`);
const traceB = summarizeTrace(failedTrace(), (id) => `http://jaeger/trace/${id}`);
const head = { tags: { 'session.id': 'session-fix' }, since: '24h', servicesSearched: ['api'], jaegerUrl: 'http://jaeger/', searchUrl: null };

/** A poll's report: `traces` from Jaeger, `lines` (stored lines) from the store. */
function poll(traces: LookupReport['traces'], lines: Record<string, string>[]): LookupReport {
  const found = { lines: parseLogsAnswer(lines.map((line) => JSON.stringify(line)).join('\n')), truncated: false, missing: null };
  return withLogs({ ...head, traces }, found, 'http://logs/');
}

const inA = storedLine({ trace_id: 'trace-a', _msg: 'in a' });
const inB = storedLine({ trace_id: 'trace-b', _msg: 'in b', _time: '2026-11-27T10:01:00Z' });
const outside = storedLine({ trace_id: undefined, _msg: 'outside', _time: '2026-11-27T10:02:00Z' });

describe('FollowedSession', () => {
  let clock = 0;
  const session = (): FollowedSession => new FollowedSession(15_000, () => clock);

  beforeEach(() => {
    clock = 1_000_000;
  });

  it('prints a new trace once, with its lines, when it appears', () => {
    const followed = session();
    followed.printed(poll([traceA], [inA]));
    const update = followed.next(poll([traceA, traceB], [inA, inB]));
    expect(update.traces.map((trace) => [trace.traceId, trace.logs?.map((line) => line.message)])).to.deep.equal([['trace-b', ['in b']]]);
    expect(update.unlisted).to.deep.equal([]);
    expect(followed.next(poll([traceA, traceB], [inA, inB]))).to.deep.equal({ traces: [], unlisted: [] });
    expect(followed.traceCount).to.equal(2);
  });

  it('prints a line logged outside any trace at once, and only once, when it arrives', () => {
    const followed = session();
    followed.printed(poll([traceA], [inA]));
    expect(followed.next(poll([traceA], [inA, outside])).unlisted.map((line) => line.message)).to.deep.equal(['outside']);
    expect(followed.next(poll([traceA], [inA, outside])).unlisted).to.deep.equal([]);
  });

  it('holds a line whose trace has not appeared and prints it with the trace when the trace comes within the grace time', () => {
    const followed = session();
    followed.printed(poll([traceA], [inA]));
    expect(followed.next(poll([traceA], [inA, inB])).unlisted).to.deep.equal([]);
    clock += 14_000;
    const update = followed.next(poll([traceA, traceB], [inA, inB]));
    expect(update.traces[0]?.logs?.map((line) => line.message)).to.deep.equal(['in b']);
    expect(update.unlisted).to.deep.equal([]);
  });

  it('prints a held line without its trace when the trace has not come after the grace time', () => {
    const followed = session();
    followed.printed(poll([traceA], [inA]));
    expect(followed.next(poll([traceA], [inA, inB])).unlisted).to.deep.equal([]);
    clock += 15_000;
    expect(followed.next(poll([traceA], [inA, inB])).unlisted.map((line) => line.message)).to.deep.equal(['in b']);
  });

  it('prints a line of a trace printed before at once, when it arrives after its trace', () => {
    const followed = session();
    followed.printed(poll([traceA], []));
    expect(followed.next(poll([traceA], [inA])).unlisted.map((line) => [line.message, line.traceId])).to.deep.equal([['in a', 'trace-a']]);
  });

  it('prints traces only when the reports have no logs (no --logs)', () => {
    const followed = session();
    followed.printed({ ...head, traces: [traceA] });
    expect(followed.next({ ...head, traces: [traceA, traceB] })).to.deep.equal({ traces: [traceB], unlisted: [] });
  });
});
