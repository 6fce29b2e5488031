import { expect } from 'chai';
import { stripControlCharacters } from '../../../../../tools/session-traces/text/strip-control-characters.ts';

describe('stripControlCharacters', () => {
  const cases: [string, string, string][] = [
    ['a screen clear', 'GET \u001b[2J/api', 'GET [2J/api'],
    ['an OSC 8 hyperlink', '\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u001b\\', ']8;;http://evil.example/click]8;;\\'],
    ['a C1 CSI and DEL', '\u009b31mred\u007f', '31mred'],
    ['bidirectional overrides', 'abc\u202edcba\u2066x\u2069', 'abcdcbax'],
    ['NUL and backspace', 'a\u0000b\u0008c', 'abc'],
    ['line breaks and tabs (one space per run)', 'GET\r\n/api\tx\u2028y', 'GET /api x y'],
    ['a zero-width space after a name (the session.id spoof)', 'session.id\u200b', 'session.id'],
    ['zero-width joiners, the word joiner and a byte order mark', 'a\u200cb\u200dc\u2060d\ufeffe', 'abcde'],
    ['a soft hyphen', 'ad\u00admin', 'admin'],
    ['tag characters', 'x\u{E0001}\u{E0073}\u{E0070}\u{E007F}y', 'xy'],
    ['Hangul fillers (letters drawn as nothing)', '\u3164\u115f\u1160\uffa0ok', 'ok'],
    ['variation selectors and the combining grapheme joiner', 'a\ufe0fb\u{E0100}c\u034fd', 'abcd'],
  ];
  for (const [what, input, expected] of cases) {
    it(`removes ${what} when a value holds them`, () => {
      expect(stripControlCharacters(input)).to.equal(expected);
    });
  }

  it('keeps blanks a terminal shows as space when a value holds them', () => {
    const text = 'a\u00a0b\u2003c\u3000d\u2800e';
    expect(stripControlCharacters(text)).to.equal(text);
  });

  it('keeps text unchanged when it has no control character', () => {
    const text = 'POST /api/login é 日本 🚀 a-b_c:d.e';
    expect(stripControlCharacters(text)).to.equal(text);
  });
});
