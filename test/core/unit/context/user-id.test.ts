import { expect } from 'chai';
import { assertValidUserId, isValidUserId, USER_ID_RULE } from '../../../../src/core/context/user-id.ts';
import { EVERY_PRINTABLE_ASCII, PROVIDER_USER_IDS } from '../../support/user-ids.ts';

describe('user id rule', () => {
  it('accepts what identity providers issue: provider|id subjects and emails with +', () => {
    for (const id of PROVIDER_USER_IDS) expect(isValidUserId(id), id).to.equal(true);
  });

  it('accepts every printable ASCII character, and ids of 1 to 255 characters', () => {
    expect(isValidUserId(EVERY_PRINTABLE_ASCII)).to.equal(true);
    expect(isValidUserId('a')).to.equal(true);
    expect(isValidUserId('u'.repeat(255))).to.equal(true);
  });

  it('refuses an empty id, one over 255 characters, spaces, control characters and non-ASCII characters', () => {
    for (const id of ['', 'u'.repeat(256), 'alice smith', ' alice', 'alice\t', 'eve\r\nlevel: error', 'nul\u0000', 'del\u007f', 'josé', 'zero\u200bwidth', 'rtl\u202eevil']) {
      expect(isValidUserId(id), JSON.stringify(id)).to.equal(false);
    }
  });

  it('refuses what is not a string', () => {
    for (const value of [undefined, null, 42, ['alice'], { id: 'alice' }]) expect(isValidUserId(value)).to.equal(false);
  });
});

describe('assertValidUserId', () => {
  it('returns for a valid id', () => {
    expect(() => {
      assertValidUserId('auth0|5f8a9c0e12', 'test');
    }).not.to.throw();
  });

  it('throws a TypeError naming the type when the value is not a string', () => {
    expect(() => {
      assertValidUserId(42, 'setByKey(SessionMapKey.USER_ID, …)');
    }).to.throw(TypeError, 'setByKey(SessionMapKey.USER_ID, …): a user id must be a string, got number');
    expect(() => {
      assertValidUserId(null, 'x');
    }).to.throw(TypeError, 'got null');
  });

  it('throws a RangeError saying what is wrong and what the rule is, never the value', () => {
    const cases: [string, string][] = [
      ['', 'it is empty'],
      ['secret-'.repeat(10_000), 'it is 70000 characters long'],
      ['alice smith', 'character 6 is U+0020'],
      ['eve\r\nlevel: error', 'character 4 is U+000D'],
      ['josé', 'character 4 is U+00E9'],
    ];
    for (const [value, problem] of cases) {
      let error: unknown;
      try {
        assertValidUserId(value, 'setByKey(SessionMapKey.USER_ID, …)');
      } catch (caught) {
        error = caught;
      }
      expect(error, JSON.stringify(value.slice(0, 20))).to.be.instanceOf(RangeError);
      const { message } = error as RangeError;
      expect(message).to.equal(`setByKey(SessionMapKey.USER_ID, …): not a valid user id (${problem}); a user id is ${USER_ID_RULE}`);
      expect(message).not.to.include('secret');
      expect(message).not.to.include('alice');
      expect(message).not.to.include('\n');
    }
  });
});
