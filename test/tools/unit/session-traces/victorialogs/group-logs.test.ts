import { expect } from 'chai';
import { groupLogs, traceKey } from '../../../../../tools/session-traces/victorialogs/group-logs.ts';
import { parseLogsAnswer, type LogLine } from '../../../../../tools/session-traces/victorialogs/victorialogs-answer.ts';
import { sessionLines, storedLine } from '../../../support/session-traces/log-fixtures.ts';

/** Stored lines as the client returns them. */
const read = (lines: Record<string, string>[]): LogLine[] => parseLogsAnswer(lines.map((line) => JSON.stringify(line)).join('\n'));

describe('groupLogs', () => {
  it("puts each line under its listed trace, oldest first, and the rest among the unlisted, when lines come newest first", () => {
    const { byTrace, unlisted } = groupLogs(read(sessionLines()), ['trace-a', 'trace-b']);
    expect(byTrace.get('trace-a')?.map((line) => [line.time, line.service])).to.deep.equal([
      ['2026-11-27T10:00:00.005000000Z', 'orders'],
      ['2026-11-27T10:00:00.012000000Z', 'api'],
    ]);
    expect(byTrace.get('trace-b')?.map((line) => line.fields['http.status_code'])).to.deep.equal(['500']);
    expect(unlisted.map((line) => line.message)).to.deep.equal(['sampled out', 'cache warmed']);
  });

  it('gives every listed trace an entry, empty when it has no lines', () => {
    expect(groupLogs([], ['trace-a']).byTrace.get('trace-a')).to.deep.equal([]);
  });

  it('orders lines of the same millisecond by their nanoseconds, then by service and message', () => {
    const lines = read([
      storedLine({ _time: '2026-11-27T10:00:00.001000002Z', _msg: 'third' }),
      storedLine({ _time: '2026-11-27T10:00:00.001000001Z', _msg: 'b', 'service.name': 'orders' }),
      storedLine({ _time: '2026-11-27T10:00:00.001000001Z', _msg: 'z', 'service.name': 'api' }),
      storedLine({ _time: '2026-11-27T10:00:00.001000001Z', _msg: 'a', 'service.name': 'orders' }),
    ]);
    expect(groupLogs(lines, []).unlisted.map((line) => `${line.service} ${line.message}`)).to.deep.equal(['api z', 'orders a', 'orders b', 'api third']);
  });

  it('matches a trace id Jaeger writes without leading zeros or in upper case', () => {
    const lines = read([storedLine({ trace_id: '00000000000000000000000000abcdef' })]);
    expect(groupLogs(lines, ['ABCDEF']).byTrace.get('ABCDEF')).to.have.length(1);
  });
});

describe('traceKey', () => {
  it('reads an id as a number: lowercase, no leading zeros, zero itself kept', () => {
    expect([traceKey('00AB'), traceKey('ab'), traceKey('0000')]).to.deep.equal(['ab', 'ab', '0']);
  });
});
