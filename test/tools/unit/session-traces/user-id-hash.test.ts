import { expect } from 'chai';
import { hashUserId } from '../../../../tools/session-traces/user-id-hash.ts';

describe('hashUserId', () => {
  it('is the SHA-256 of the value in lowercase hex, unsalted, as the collector stores user.id', () => {
    // FIPS 180-2 test vector; the end-to-end tests check the real collector agrees.
    expect(hashUserId('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hashes the UTF-8 bytes of the id (c3 a9 for é, per Python hashlib)', () => {
    expect(hashUserId('é')).to.equal('4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c');
  });
});
