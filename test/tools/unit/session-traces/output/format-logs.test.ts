import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { withLogs } from '../../../../../tools/session-traces/report/with-logs.ts';
import { formatJsonLogLine, formatLogLine, formatLogsReport, formatTraceWithLogs, formatUnlistedLogs } from '../../../../../tools/session-traces/output/format-logs.ts';
import { formatJson, formatJsonLine } from '../../../../../tools/session-traces/output/format-output.ts';
import { parseLogsAnswer, type LogLine } from '../../../../../tools/session-traces/victorialogs/victorialogs-answer.ts';
import { capturingStream, CONTROL_CHARACTER, hasOwnColours, withoutOwnColours } from '../../../support/session-traces/captured-io.ts';
import { exampleReport as base } from '../../../support/session-traces/fixtures.ts';
import { sessionLines, storedLine } from '../../../support/session-traces/log-fixtures.ts';

/** A stream that is not a terminal, as stdout is when piped. */
const piped = { stream: new PassThrough() as unknown as NodeJS.WriteStream };

const read = (lines: Record<string, string>[]): LogLine[] => parseLogsAnswer(lines.map((line) => JSON.stringify(line)).join('\n'));

const report = withLogs(base, { lines: read(sessionLines()), truncated: false, missing: null }, 'http://logs:9428/');

describe('formatLogLine', () => {
  const [line] = read([storedLine()]);

  it('prints time, service, level, message and the fields that matter, indented, when under a trace', () => {
    expect(formatLogLine(line!, piped, { withDate: false, withTraceId: false })).to.equal(
      '  10:00:00.001 api info request completed http.method=GET http.route=/api/downstream http.status_code=200 duration_ms=12.1\n',
    );
  });

  it('prints an event by its name and its fields, not the store\'s placeholder for its missing message', () => {
    const [event] = read([
      storedLine({ _msg: 'missing _msg field; see https://docs.victoriametrics.com/victorialogs/keyconcepts/#message-field', event_name: 'session.start', 'session.previous_id': 'session-0002', 'http.method': undefined, 'http.route': undefined, 'http.status_code': undefined, duration_ms: undefined, severity_text: undefined }),
    ]);
    expect(event!.event).to.equal('session.start');
    expect(formatLogLine(event!, piped, { withDate: false, withTraceId: false })).to.equal('  10:00:00.001 api - event session.start session.previous_id=session-0002\n');
  });

  it('adds the date and the trace id when the line is in no listed trace', () => {
    expect(formatLogLine(line!, piped, { withDate: true, withTraceId: true })).to.equal(
      '  2026-11-27 10:00:00.001 api info request completed http.method=GET http.route=/api/downstream http.status_code=200 duration_ms=12.1 trace=0af7651916cd43dd8448eb211c80319c\n',
    );
  });

  it('quotes a value that is empty or holds a space, quote or =', () => {
    const [quoted] = read([storedLine({ 'http.method': undefined, 'http.route': undefined, 'http.status_code': undefined, duration_ms: undefined, a: '', b: 'x y', c: 'k=v', d: 'say "hi"' })]);
    expect(formatLogLine(quoted!, piped, { withDate: false, withTraceId: false })).to.equal('  10:00:00.001 api info request completed a="" b="x y" c="k=v" d="say \\"hi\\""\n');
  });

  for (const colours of [false, true]) {
    it(`prints no control characters when the store's values and names hold them and colours are ${colours ? 'on' : 'off'}`, () => {
      const [hostile] = read([
        storedLine({ _msg: 'boom\u001b[2J\r\nnext', 'service.name': 'api\u202e', severity_text: 'error\u009b', 'x\u001b]8;;': 'v\u0007', trace_id: 'ab\u001bcd' }),
      ]);
      const { stream } = capturingStream(colours);
      const printed = formatLogLine(hostile!, { stream }, { withDate: true, withTraceId: true });
      expect(hasOwnColours(printed), 'colours were on').to.equal(colours);
      expect(withoutOwnColours(printed)).not.to.match(CONTROL_CHARACTER);
      expect(withoutOwnColours(printed)).to.include('api error boom[2J next').and.include('x]8;;=v').and.include('trace=abcd');
    });
  }
});

describe('a forged session.id field (its name followed by a zero-width space)', () => {
  const [forged] = read([storedLine({ 'session.id\u200b': 'spoofed-session' })]);

  it('is printed nowhere, neither as a field nor with the invisible character', () => {
    const printed = formatLogLine(forged!, piped, { withDate: true, withTraceId: true }) + formatJsonLogLine(forged!);
    expect(printed).not.to.include('spoofed-session').and.not.to.match(CONTROL_CHARACTER);
  });
});

describe('formatLogsReport', () => {
  it('prints each trace as one line with its lines under it, then the unlisted lines, then the summary, then the search link', () => {
    const lines = formatLogsReport(report, piped).split('\n');
    expect(lines[0]).to.match(/^2026-11-27 10:00:00\.000 {2}12\.3 ms {2}api {2}GET \/api\/downstream .* http:\/\/jaeger:16686\/trace\/trace-a$/);
    expect(lines.slice(1, 3)).to.deep.equal([
      '  10:00:00.005 orders info request completed http.method=GET http.route=/api/session http.status_code=200 duration_ms=3',
      '  10:00:00.012 api info request completed http.method=GET http.route=/api/downstream http.status_code=200 duration_ms=12.1',
    ]);
    expect(lines[3]).to.match(/POST \/api\/login .* http:\/\/jaeger:16686\/trace\/trace-b$/);
    expect(lines.slice(4)).to.deep.equal([
      '  10:01:00.001 api error request completed http.method=POST http.route=/api/login http.status_code=500 duration_ms=2',
      '',
      'Log lines in no listed trace:',
      '  2026-11-27 10:01:30.500 api warn sampled out http.method=POST http.route=/api/downstream http.status_code=200 duration_ms=12.1 trace=00ff',
      '  2026-11-27 10:02:00.000 api info cache warmed',
      '',
      'Summary (2 traces)',
      '  requests  2 from outside; served: api 2, orders 1',
      '  errors    1 from outside; served with an error: api 1',
      '  services  api, orders',
      '  time      2026-11-27 10:00:00.000 to 2026-11-27 10:01:00.002 (UTC)',
      '┌─────────┬─────────────────────┬─────────────────┬──────────┬────────┬─────────┬─────────┐',
      '│ SERVICE │ OPERATION           │ ROUTE           │ REQUESTS │ ERRORS │ P50     │ P99     │',
      '├─────────┼─────────────────────┼─────────────────┼──────────┼────────┼─────────┼─────────┤',
      '│ api     │ GET /api/downstream │ /api/downstream │ 1        │ 0      │ 12.3 ms │ 12.3 ms │',
      '│ api     │ POST /api/login     │ /api/login      │ 1        │ 1      │ 2 ms    │ 2 ms    │',
      '│ orders  │ GET /api/session    │ /api/session    │ 1        │ 0      │ 3 ms    │ 3 ms    │',
      '└─────────┴─────────────────────┴─────────────────┴──────────┴────────┴─────────┴─────────┘',
      '',
      `All of them: ${base.searchUrl!}`,
      '',
    ]);
  });

  it('prints the traces alone when the logs are missing', () => {
    const missing = withLogs(base, { lines: null, truncated: false, missing: 'VictoriaLogs at http://logs:9428 did not answer (ECONNREFUSED).' }, 'http://logs:9428/');
    const printed = formatLogsReport(missing, piped);
    const [traces] = printed.split('\n\n');
    expect(traces!.split('\n').filter((line) => line.startsWith('  '))).to.deep.equal([]);
    expect(printed).to.include('Summary (2 traces)');
    expect(printed).to.include('/trace/trace-a').and.include('/trace/trace-b').and.not.include('no listed trace');
  });

  it('prints the unlisted lines alone when no trace was found', () => {
    const none = withLogs({ ...base, traces: [], searchUrl: null, summary: null }, { lines: read(sessionLines()), truncated: false, missing: null }, 'http://logs:9428/');
    const printed = formatLogsReport(none, piped);
    expect(printed.split('\n')[0]).to.equal('Log lines in no listed trace:');
    expect(printed.split('\n').filter((line) => line.startsWith('  '))).to.have.length(5);
    expect(printed).not.to.include('Summary');
  });
});

describe('formatTraceWithLogs and formatUnlistedLogs', () => {
  it('print nothing under a trace without lines, and nothing at all for no unlisted lines', () => {
    expect(formatTraceWithLogs({ ...report.traces[0]!, logs: [] }, piped).split('\n')).to.have.length(2);
    expect(formatUnlistedLogs([], piped)).to.equal('');
  });
});

describe('formatJson with --logs', () => {
  const parsed = JSON.parse(formatJson(report)) as Record<string, unknown>;

  it('adds the store, the logs state and a logs array to the report and to each trace, in the documented order', () => {
    expect(Object.keys(parsed)).to.deep.equal(['tags', 'since', 'servicesSearched', 'jaegerUrl', 'searchUrl', 'summary', 'victoriaLogsUrl', 'logsMissing', 'logsTruncated', 'traces', 'logs']);
    const [first] = parsed['traces'] as Record<string, unknown>[];
    expect(Object.keys(first!).at(-1)).to.equal('logs');
    expect(parsed).to.deep.include({ victoriaLogsUrl: 'http://logs:9428/', logsMissing: null, logsTruncated: false });
  });

  it('prints each line with the documented fields', () => {
    const [first] = parsed['traces'] as { logs: Record<string, unknown>[] }[];
    expect(first!.logs[0]).to.deep.equal({
      time: '2026-11-27T10:00:00.005000000Z',
      service: 'orders',
      level: 'info',
      message: 'request completed',
      event: null,
      traceId: 'trace-a',
      spanId: 'b7ad6b7169203331',
      fields: { 'http.method': 'GET', 'http.route': '/api/session', 'http.status_code': '200', duration_ms: '3' },
    });
    expect((parsed['logs'] as unknown[]).length).to.equal(2);
  });

  it('prints null for the logs and says why when they are missing', () => {
    const missing = JSON.parse(formatJson(withLogs(base, { lines: null, truncated: false, missing: 'why' }, 'http://logs:9428/'))) as Record<string, unknown>;
    expect(missing).to.deep.include({ logsMissing: 'why', logs: null });
    expect((missing['traces'] as Record<string, unknown>[]).map((trace) => trace['logs'])).to.deep.equal([null, null]);
  });

  it("prints the lines, --follow's trace lines and log lines without control characters, raw or escaped, in values and names", () => {
    const hostile = read([storedLine({ _msg: 'a\u001b[2Jb', 'k\u001b[41m': 'v\u009b', trace_id: 'trace-a' })]);
    const withHostile = withLogs(base, { lines: hostile, truncated: false, missing: null }, 'http://logs:9428/');
    const printed = formatJson(withHostile) + formatJsonLine(withHostile.traces[0]!) + formatJsonLogLine(hostile[0]!);
    expect(printed).not.to.match(CONTROL_CHARACTER).and.not.to.match(/\\u00/);
    const { log } = JSON.parse(formatJsonLogLine(hostile[0]!)) as { log: LogLine };
    expect(log.message).to.equal('a[2Jb');
    expect(log.fields).to.deep.include({ 'k[41m': 'v' });
  });
});
