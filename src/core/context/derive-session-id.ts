import { createHmac } from 'node:crypto';

/**
 * A session id derived from an authentication session's id, for services whose correlation
 * id should follow the login session.
 *
 * The session id travels in clear (headers, baggage, logs, traces), so it must never be the
 * auth session's id itself, which is a credential: this is an HMAC-SHA-256 of it under a
 * server-side secret, base64url-encoded (43 characters, valid for the session middleware).
 * Without the secret, nobody can go from a session id back to the credential.
 */
export function deriveSessionId(authSessionId: string, secret: string): string {
  if (secret.length < 32) throw new RangeError('deriveSessionId needs a secret of at least 32 characters');
  return createHmac('sha256', secret).update(authSessionId, 'utf8').digest('base64url');
}
