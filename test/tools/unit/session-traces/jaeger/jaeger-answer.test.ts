import { expect } from 'chai';
import { AnswerShapeError } from '../../../../../tools/session-traces/http/answer-shape.ts';
import { parseServicesAnswer, parseTracesAnswer } from '../../../../../tools/session-traces/jaeger/jaeger-answer.ts';
import { downstreamTrace, span } from '../../../support/session-traces/fixtures.ts';

/** `fn` throws an AnswerShapeError; returns it. */
function shapeError(fn: () => unknown): AnswerShapeError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AnswerShapeError) return error;
    throw error;
  }
  throw new Error('expected an AnswerShapeError, nothing was thrown');
}

describe('parseServicesAnswer', () => {
  it('returns the names when Jaeger answers a list of strings', () => {
    expect(parseServicesAnswer({ data: ['api', 'orders'], total: 2 })).to.deep.equal(['api', 'orders']);
  });

  it('returns no services when data is null', () => {
    expect(parseServicesAnswer({ data: null })).to.deep.equal([]);
  });

  const refused: [string, unknown, string, string][] = [
    ['{"data":5}', { data: 5 }, 'data', '5'],
    ['no data', { errors: [] }, 'data', 'nothing'],
    ['a number among the names', { data: ['api', 7] }, 'data[1]', '7'],
    ['an array body', [1], 'the answer', 'an array of 1'],
    ['a long string', { data: 'x'.repeat(100) }, 'data', `"${'x'.repeat(39)}…`],
  ];
  for (const [what, body, path, got] of refused) {
    it(`names the path and the value when the answer is ${what}`, () => {
      expect(shapeError(() => parseServicesAnswer(body))).to.include({ path, got });
    });
  }
});

describe('parseTracesAnswer', () => {
  it('keeps the fields the lookup reads when the answer is well formed', () => {
    const trace = downstreamTrace();
    const extra = { ...trace, warnings: null, spans: trace.spans.map((s) => ({ ...s, logs: [], flags: 1 })) };
    expect(parseTracesAnswer({ data: [extra] })).to.deep.equal([trace]);
  });

  it('reads absent or null references and tags as empty', () => {
    const bare: Record<string, unknown> = { ...span('s1', undefined, 'p1', 'GET /', 1, 2) };
    delete bare['references'];
    delete bare['tags'];
    const [trace] = parseTracesAnswer({ data: [{ traceID: 't', processes: { p1: { serviceName: 'api' } }, spans: [bare, { ...bare, spanID: 's2', tags: null, references: null }] }] });
    expect(trace?.spans.map((s) => [s.references, s.tags])).to.deep.equal([[[], []], [[], []]]);
  });

  const trace = downstreamTrace();
  const refused: [string, unknown, string, string][] = [
    ['a trace without spans', { traceID: 't', processes: {} }, 'data[0].spans', 'nothing'],
    ['a trace without processes', { ...trace, processes: undefined }, 'data[0].processes', 'nothing'],
    ['a process without a service name', { ...trace, processes: { p1: {} } }, 'data[0].processes["p1"].serviceName', 'nothing'],
    ['a span that is a string', { ...trace, spans: ['span'] }, 'data[0].spans[0]', '"span"'],
    ['a negative duration', { ...trace, spans: [{ ...trace.spans[0], duration: -1 }] }, 'data[0].spans[0].duration', '-1'],
    ['a start time a Date cannot hold', { ...trace, spans: [{ ...trace.spans[0], startTime: 1e30 }] }, 'data[0].spans[0].startTime', '1e+30'],
    ['a tag without a key', { ...trace, spans: [{ ...trace.spans[0], tags: [{ value: 1 }] }] }, 'data[0].spans[0].tags[0].key', 'nothing'],
    ['a reference without a span id', { ...trace, spans: [{ ...trace.spans[0], references: [{ refType: 'CHILD_OF' }] }] }, 'data[0].spans[0].references[0].spanID', 'nothing'],
  ];
  for (const [what, value, path, got] of refused) {
    it(`names the path and the value when the answer has ${what}`, () => {
      expect(shapeError(() => parseTracesAnswer({ data: [value] }))).to.include({ path, got });
    });
  }

  it('keeps a process id such as __proto__ as a plain key', () => {
    const [parsed] = parseTracesAnswer({ data: [JSON.parse('{"traceID":"t","spans":[],"processes":{"__proto__":{"serviceName":"api"}}}')] });
    expect(Object.getPrototypeOf(parsed?.processes)).to.equal(Object.prototype);
    expect(Object.hasOwn(parsed!.processes, '__proto__')).to.equal(true);
  });

  it('reads a trace of 200,000 spans without overflowing the stack', () => {
    const spans = Array.from({ length: 200_000 }, (_, index) => span(`s${index}`, index === 0 ? undefined : 's0', 'p1', 'op', 1_000 + index, 10));
    const [parsed] = parseTracesAnswer({ data: [{ traceID: 'big', processes: { p1: { serviceName: 'api' } }, spans }] });
    expect(parsed?.spans).to.have.length(200_000);
  });
});
