import { expect } from 'chai';
import { isValidSessionId, newSessionId } from '../../../../src/core/context/session-id.ts';

describe('isValidSessionId', () => {
  const valid: [string, string][] = [
    ['8 characters', 'abcdefgh'],
    ['128 characters', 'a'.repeat(128)],
    ['a UUID', '9b2f0c1e-7a4d-4c39-9a55-1f0e2d3c4b5a'],
    ['dots, underscores and colons', 'web:tab_1.session'],
  ];
  const invalid: [string, unknown][] = [
    ['empty', ''],
    ['7 characters', 'abcdefg'],
    ['129 characters', 'a'.repeat(129)],
    ['CRLF', 'abcdefgh\r\nx-evil: 1'],
    ['LF alone', 'abcdefgh\n'],
    ['NUL', 'abcdefgh\u0000'],
    ['=', 'abcd=efgh'],
    [', (a baggage separator)', 'abcd,efgh'],
    ['; (a baggage property)', 'abcd;efgh'],
    ['a space', 'abcd efgh'],
    ['a tab', 'abcd\tefgh'],
    ['unicode letters', 'séssion-id-1'],
    ['an emoji', 'session-🙂-1'],
    ['not a string', 12345678],
    ['undefined', undefined],
  ];

  for (const [description, value] of valid) {
    it(`accepts ${description}`, () => {
      expect(isValidSessionId(value)).to.equal(true);
    });
  }
  for (const [description, value] of invalid) {
    it(`rejects ${description}`, () => {
      expect(isValidSessionId(value)).to.equal(false);
    });
  }
});

describe('newSessionId', () => {
  it('returns distinct ids that the validator accepts', () => {
    const ids = new Set(Array.from({ length: 100 }, newSessionId));
    expect(ids.size).to.equal(100);
    for (const id of ids) expect(isValidSessionId(id)).to.equal(true);
  });
});
