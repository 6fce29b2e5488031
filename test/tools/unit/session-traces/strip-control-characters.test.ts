import { expect } from 'chai';
import { stripControlCharacters } from '../../../../tools/session-traces/strip-control-characters.ts';

describe('stripControlCharacters', () => {
  const cases: [string, string, string][] = [
    ['a screen clear', 'GET \u001b[2J/api', 'GET [2J/api'],
    ['an OSC 8 hyperlink', '\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u001b\\', ']8;;http://evil.example/click]8;;\\'],
    ['a C1 CSI and DEL', '\u009b31mred\u007f', '31mred'],
    ['bidirectional overrides', 'abc\u202edcba\u2066x\u2069', 'abcdcbax'],
    ['NUL and backspace', 'a\u0000b\u0008c', 'abc'],
    ['line breaks and tabs (one space per run)', 'GET\r\n/api\tx\u2028y', 'GET /api x y'],
  ];
  for (const [what, input, expected] of cases) {
    it(`removes ${what} when a value holds them`, () => {
      expect(stripControlCharacters(input)).to.equal(expected);
    });
  }

  it('keeps text unchanged when it has no control character', () => {
    const text = 'POST /api/login é 日本 🚀 a-b_c:d.e';
    expect(stripControlCharacters(text)).to.equal(text);
  });
});
