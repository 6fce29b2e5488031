import { expect } from 'chai';
import { AnswerShapeError } from '../../../../../tools/session-traces/http/answer-shape.ts';
import { parseLogsAnswer } from '../../../../../tools/session-traces/victorialogs/victorialogs-answer.ts';
import { OBSERVED_LINE, OBSERVED_LINE_WITH_TWO_TRACE_IDS, storedLine } from '../../../support/session-traces/log-fixtures.ts';

/** `text` is refused; returns the error. */
function refusal(text: string): AnswerShapeError {
  try {
    parseLogsAnswer(text);
  } catch (error) {
    if (error instanceof AnswerShapeError) return error;
    throw error;
  }
  throw new Error('expected an AnswerShapeError, nothing was thrown');
}

const answer = (...lines: Record<string, string>[]): string => lines.map((line) => `${JSON.stringify(line)}\n`).join('');

describe('parseLogsAnswer', () => {
  it('reads time, service, level, message, ids and the fields that matter when the line has the shape VictoriaLogs v1.52.1 answers', () => {
    expect(parseLogsAnswer(`${OBSERVED_LINE}\n`)).to.deep.equal([
      {
        time: '2026-11-27T10:00:00.001000000Z',
        service: 'api',
        level: 'info',
        message: 'request completed',
        event: null,
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        fields: { 'http.method': 'GET', 'http.route': '/api/downstream', 'http.status_code': '200', duration_ms: '12.1' },
      },
    ]);
  });

  it("keeps the record's own trace id when the store writes trace_id twice", () => {
    expect(parseLogsAnswer(OBSERVED_LINE_WITH_TWO_TRACE_IDS)[0]?.traceId).to.equal('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa');
  });

  it('returns no lines when the answer is empty or blank', () => {
    expect(parseLogsAnswer('')).to.deep.equal([]);
    expect(parseLogsAnswer('\n \n')).to.deep.equal([]);
  });

  const times: [string, string][] = [
    ['2026-11-27T10:00:00Z', '2026-11-27T10:00:00.000000000Z'],
    ['2026-11-27T10:00:00.5Z', '2026-11-27T10:00:00.500000000Z'],
    ['2026-11-27T10:00:00.123456789Z', '2026-11-27T10:00:00.123456789Z'],
  ];
  for (const [stored, read] of times) {
    it(`writes _time ${stored} with nine fractional digits, so times sort as text`, () => {
      expect(parseLogsAnswer(answer(storedLine({ _time: stored })))[0]?.time).to.equal(read);
    });
  }

  it('reads a missing service, level and message as unknown, - and empty, and missing ids as null', () => {
    const [line] = parseLogsAnswer(answer(storedLine({ 'service.name': undefined, severity_text: undefined, _msg: undefined, trace_id: undefined, span_id: undefined })));
    expect(line).to.deep.include({ service: 'unknown', level: '-', message: '', traceId: null, spanId: null });
  });

  it('keeps fields named like Object.prototype members as plain keys, and __proto__ (a store name, with its _) out', () => {
    const [line] = parseLogsAnswer(OBSERVED_LINE.replace('{', '{"__proto__":"x","constructor":"y",'));
    expect(Object.getPrototypeOf(line?.fields)).to.equal(Object.prototype);
    expect(line?.fields).to.have.own.property('constructor', 'y');
    expect(Object.hasOwn(line!.fields, '__proto__')).to.equal(false);
  });

  const refused: [string, string, string, string][] = [
    ['a line that is not JSON', `${OBSERVED_LINE}\n<html>`, 'line 2', '"<html>"'],
    ['a line that is an array', '[1,2]', 'line 1', 'an array of 2'],
    ['a value that is a number', answer(storedLine()).replace('"duration_ms":"12.1"', '"duration_ms":12.1'), 'line 1["duration_ms"]', '12.1'],
    ['a line without _time', answer(storedLine({ _time: undefined })), 'line 1._time', 'nothing'],
    ['a _time with an offset', answer(storedLine({ _time: '2026-11-27T10:00:00+02:00' })), 'line 1._time', '"2026-11-27T10:00:00+02:00"'],
    ['a _time that is no date', answer(storedLine({ _time: '2026-13-45T10:00:00Z' })), 'line 1._time', '"2026-13-45T10:00:00Z"'],
  ];
  for (const [what, text, path, got] of refused) {
    it(`names the line and the value when the answer has ${what}`, () => {
      expect(refusal(text)).to.include({ path, got });
    });
  }
});
