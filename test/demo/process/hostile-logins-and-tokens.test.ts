import { SignJWT } from 'jose';
import { DEVELOPMENT_TOKEN_SECRET } from '../../../src/demo/index.ts';
import { describeHostileInput, requestHead, type HostileCase } from '../../core/support/hostile-input.ts';
import { startCommand } from '../../core/support/service-process.ts';

const get = (...headers: string[]): string => requestHead('GET /api/session HTTP/1.1', ...headers);
const postLogin = (): string => requestHead('POST /api/login HTTP/1.1', 'Content-Type: application/json');

async function token(payload: { sub: string; expiresAt: number }, secret = DEVELOPMENT_TOKEN_SECRET): Promise<string> {
  return new SignJWT({ sub: payload.sub })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime(payload.expiresAt)
    .sign(new TextEncoder().encode(secret));
}

async function cases(): Promise<HostileCase[]> {
  const now = Math.floor(Date.now() / 1000);
  return [
    // User ids at login.
    { name: 'userId that is a number', head: postLogin(), body: '{"userId":42}', expect: { status: 400 } },
    { name: 'userId with CRLF', head: postLogin(), body: JSON.stringify({ userId: 'eve\r\nlevel: error' }), expect: { status: 400 } },
    { name: 'userId of 256 characters', head: postLogin(), body: JSON.stringify({ userId: 'u'.repeat(256) }), expect: { status: 400 } },
    { name: 'userId with a space', head: postLogin(), body: JSON.stringify({ userId: 'alice smith' }), expect: { status: 400 } },
    // Tokens.
    { name: 'garbage bearer token', head: get('Authorization: Bearer not.a.token'), expect: { status: 401 } },
    { name: 'expired token', head: get(`Authorization: Bearer ${await token({ sub: 'alice', expiresAt: now - 60 })}`), expect: { status: 401 } },
    { name: 'token signed with another secret', head: get(`Authorization: Bearer ${await token({ sub: 'alice', expiresAt: now + 60 }, 'x'.repeat(40))}`), expect: { status: 401 } },
    { name: 'unsigned token (alg none)', head: get(`Authorization: Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(`{"sub":"alice","exp":${now + 60}}`).toString('base64url')}.`), expect: { status: 401 } },
    { name: 'Basic instead of Bearer', head: get('Authorization: Basic YWxpY2U6cHc='), expect: { status: 401 } },
    { name: 'bearer token of 8 KiB', head: get(`Authorization: Bearer ${'a'.repeat(8192)}`), expect: { status: 401 } },
    { name: 'valid token (control)', head: get(`Authorization: Bearer ${await token({ sub: 'alice', expiresAt: now + 60 })}`), expect: { status: 200, session: 'fresh' } },
    { name: 'valid login (control)', head: postLogin(), body: JSON.stringify({ userId: 'alice' }), expect: { status: 200, session: 'fresh' } },
  ];
}

// The header, baggage, trace context and body cases are the core's (test/core/process/hostile-input.test.ts).
describeHostileInput('hostile logins and tokens, sent byte for byte to the demo service started as npm start', {
  cases,
  minimumCases: 12,
  minimumReachingApp: 12,
  command: startCommand(),
});
