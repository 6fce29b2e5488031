import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { cleanStrings, formatFollowLine, formatJson, formatJsonLine, formatReport } from '../../../../../tools/session-traces/output/format-output.ts';
import type { LookupReport } from '../../../../../tools/session-traces/report/lookup-report.ts';
import type { TraceSummary } from '../../../../../tools/session-traces/jaeger/trace-summary.ts';
import { capturingStream, CONTROL_CHARACTER, hasOwnColours, withoutOwnColours } from '../../../support/session-traces/captured-io.ts';
import { exampleReport as report } from '../../../support/session-traces/fixtures.ts';

/** A stream that is not a terminal, as stdout is when piped. */
const piped = (): NodeJS.WriteStream => new PassThrough() as unknown as NodeJS.WriteStream;

describe('formatReport', () => {
  const text = formatReport(report, { stream: piped() });

  it('prints one row per trace with start, duration, entry, operation, status, spans, services, error and user', () => {
    const rows = text.split('\n').filter((line) => /^│ \d{4}-\d{2}-\d{2}/.test(line));
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
    expect(Object.keys(parsed)).to.deep.equal(['tags', 'since', 'servicesSearched', 'jaegerUrl', 'searchUrl', 'summary', 'traces']);
    const [first] = parsed['traces'] as Record<string, unknown>[];
    expect(Object.keys(first!)).to.deep.equal([
      'traceId', 'startTime', 'durationMs', 'entryService', 'operation', 'httpStatus', 'spanCount', 'services', 'error', 'userId', 'url',
    ]);
  });
});

describe('formatJsonLine', () => {
  it('prints a trace as one line of JSON with the fields of a --json trace', () => {
    const line = formatJsonLine(report.traces[0]!);
    expect(line.indexOf('\n')).to.equal(line.length - 1);
    expect(JSON.parse(line)).to.deep.equal((JSON.parse(formatJson(report)) as LookupReport).traces[0]);
  });
});

describe('format-output', () => {
  const hostile: TraceSummary = {
    ...report.traces[0]!,
    traceId: 'ab\u001b[2Jcd',
    entryService: '\u001b]8;;http://evil.example/\u0007api\u001b]8;;\u0007',
    operation: 'GET \u001b[2J\u009b31m/x\u202e',
    services: ['api\r\n', 'orders\u0000'],
    userId: '\u001b[41muser-hash-value',
    url: 'http://jaeger:16686/trace/ab%1B%5B2Jcd',
  };

  for (const colours of [false, true]) {
    it(`prints the table and follow line without control characters when Jaeger's values hold them and colours are ${colours ? 'on' : 'off'}`, () => {
      const { stream } = capturingStream(colours);
      const printed = formatReport({ ...report, traces: [hostile] }, { stream }) + formatFollowLine(hostile, { stream });
      expect(hasOwnColours(printed), 'colours were on').to.equal(colours);
      expect(withoutOwnColours(printed)).not.to.match(CONTROL_CHARACTER);
      expect(printed).to.include('GET [2J31m/x').and.include('ab[2Jcd');
    });
  }

  it('never lets a key that reads like another after cleaning replace it in --json: it is spelt out instead', () => {
    const fields = { 'http.status_code': '500', 'http.status_code\u200b': '200', 'note\u200b': 'kept' };
    expect(JSON.parse(JSON.stringify(fields, cleanStrings))).to.deep.equal({ 'http.status_code': '500', 'http.status_code<U+200B>': '200', note: 'kept' });
  });

  it("prints --json and --follow --json without control characters, raw or escaped, when Jaeger's values hold them", () => {
    const printed = formatJson({ ...report, traces: [hostile], servicesSearched: ['api\u001b[2J'] }) + formatJsonLine(hostile);
    expect(printed).not.to.match(CONTROL_CHARACTER).and.not.to.match(/\\u00/);
    expect(JSON.parse(formatJsonLine(hostile))).to.deep.include({ operation: 'GET [2J31m/x', services: ['api ', 'orders'] });
  });
});
