import { expect } from 'chai';
import { SignJWT } from 'jose';
import { createTokenService, InvalidTokenError } from '../../../src/demo/token-service.ts';

const secret = 'unit-test-secret-unit-test-secret-0123';

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createTokenService', () => {
  const tokens = createTokenService({ secret, ttlSeconds: 60 });

  it('verifies the tokens it issues, returning the user id', async () => {
    expect(await tokens.verify(await tokens.issue('alice'))).to.equal('alice');
  });

  it('rejects a token whose signature was tampered with', async () => {
    const token = await tokens.issue('alice');
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(await rejection(tokens.verify(tampered))).to.be.instanceOf(InvalidTokenError);
  });

  it('rejects a token signed with another secret', async () => {
    const other = createTokenService({ secret: 'x'.repeat(40), ttlSeconds: 60 });
    expect(await rejection(tokens.verify(await other.issue('alice')))).to.be.instanceOf(InvalidTokenError);
  });

  it('rejects an expired token, saying so', async () => {
    const expired = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(secret));
    const error = await rejection(tokens.verify(expired));
    expect(error).to.be.instanceOf(InvalidTokenError).with.property('message').that.matches(/expired/);
  });

  it('rejects an unsigned token (alg none)', async () => {
    const header = Buffer.from('{"alg":"none"}').toString('base64url');
    const payload = Buffer.from(`{"sub":"alice","exp":${Math.floor(Date.now() / 1000) + 60}}`).toString('base64url');
    expect(await rejection(tokens.verify(`${header}.${payload}.`))).to.be.instanceOf(InvalidTokenError);
  });

  it('rejects a validly signed token whose subject is not a valid user id', async () => {
    const token = await new SignJWT({ sub: 'bad\nuser' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(secret));
    expect(await rejection(tokens.verify(token))).to.be.instanceOf(InvalidTokenError);
  });
});
