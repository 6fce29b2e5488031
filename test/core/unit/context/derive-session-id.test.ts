import { createHmac } from 'node:crypto';
import { expect } from 'chai';
import { deriveSessionId } from '../../../../src/core/context/derive-session-id.ts';
import { isValidSessionId } from '../../../../src/core/context/session-id.ts';

describe('deriveSessionId', () => {
  const secret = 's'.repeat(32);

  it('is the base64url HMAC-SHA-256 of the auth session id, a valid session id that does not contain it', () => {
    const derived = deriveSessionId('auth-cookie-value-123', secret);
    expect(derived).to.equal(createHmac('sha256', secret).update('auth-cookie-value-123').digest('base64url'));
    expect(isValidSessionId(derived)).to.equal(true);
    expect(derived).not.to.include('auth-cookie');
  });

  it('is stable for one auth session and differs between auth sessions and secrets', () => {
    expect(deriveSessionId('a', secret)).to.equal(deriveSessionId('a', secret));
    expect(deriveSessionId('a', secret)).not.to.equal(deriveSessionId('b', secret));
    expect(deriveSessionId('a', secret)).not.to.equal(deriveSessionId('a', 't'.repeat(32)));
  });

  it('refuses a short secret', () => {
    expect(() => deriveSessionId('a', 'short')).to.throw(RangeError);
  });
});
