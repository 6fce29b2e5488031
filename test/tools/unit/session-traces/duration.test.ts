import { expect } from 'chai';
import { parseDuration } from '../../../../tools/session-traces/duration.ts';

describe('parseDuration', () => {
  const cases: [string, number | undefined][] = [
    ['90s', 90_000],
    ['30m', 1_800_000],
    ['24h', 86_400_000],
    ['7d', 604_800_000],
    [' 2h ', 7_200_000],
    ['1.5h', undefined],
    ['-1h', undefined],
    ['10', undefined],
    ['h', undefined],
    ['1w', undefined],
    ['', undefined],
  ];
  for (const [text, expected] of cases) {
    it(`reads ${JSON.stringify(text)} as ${String(expected)}`, () => {
      expect(parseDuration(text)).to.equal(expected);
    });
  }
});
