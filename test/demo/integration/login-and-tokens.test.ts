import { SpanKind } from '@opentelemetry/api';
import { expect } from 'chai';
import { Router } from 'express';
import { SignJWT } from 'jose';
import { ATTR_SESSION_ID, ATTR_SESSION_PREVIOUS_ID, ATTR_USER_ID, getByKey, SessionMapKey, type RoutesFactory } from '../../../src/core/index.ts';
import { DEVELOPMENT_TOKEN_SECRET, demoRoutes } from '../../../src/demo/index.ts';
import { expectJsonError } from '../../core/support/expect-json-error.ts';
import { spanExporter } from '../../core/support/integration-preload.ts';
import { spansOfTrace } from '../../core/support/spans.ts';
import { request, startTestApp, type TestApp } from '../../core/support/test-app.ts';
import { accessLineTraceId, waitForLogLines } from '../../core/support/wait-for-log-lines.ts';

/** A token for `sub`, signed with `secret` (default: the demo's development secret). */
function signToken(sub: string, expirationTime: number | string, secret = DEVELOPMENT_TOKEN_SECRET): Promise<string> {
  return new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(expirationTime).sign(new TextEncoder().encode(secret));
}

/** A route of a service's own, mounted under /api after the demo's. */
const invoiceRoutes: RoutesFactory = () => {
  const router = Router();
  router.get('/invoices/:id', (req, res) => {
    res.json({ id: req.params.id, userId: getByKey(SessionMapKey.USER_ID) ?? null });
  });
  return router;
};

describe('the demo login (POST /api/login) and its Bearer tokens', () => {
  let app: TestApp;

  beforeEach(async () => {
    spanExporter.reset();
    app = await startTestApp({ routes: [demoRoutes] });
  });

  afterEach(async () => {
    await app.close();
  });

  const login = (body: string, sessionId = 'session-demo-login'): Promise<Response> =>
    request(`${app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-session-id': sessionId }, body });

  it('answers a Bearer token in a new session, linked to the old one, with user.id on the root span and the log lines when the userId is valid', async () => {
    const response = await login(JSON.stringify({ userId: 'alice' }), 'session-login-1');
    expect(response.status).to.equal(200);
    const newSessionId = response.headers.get('x-session-id');
    expect(newSessionId).to.match(/^[0-9a-f-]{36}$/);
    const body = (await response.json()) as { token: unknown; tokenType: unknown; expiresIn: unknown };
    expect(body).to.include({ tokenType: 'Bearer', expiresIn: 3600 });
    expect(body.token).to.be.a('string');
    const traceId = response.headers.get('x-trace-id')!;
    const root = (await spansOfTrace(spanExporter, traceId)).find((span) => span.kind === SpanKind.SERVER)!;
    expect(root.attributes).to.include({ [ATTR_USER_ID]: 'alice', [ATTR_SESSION_ID]: newSessionId, [ATTR_SESSION_PREVIOUS_ID]: 'session-login-1' });
    await waitForLogLines(app, 'the access line of the login', [traceId], accessLineTraceId);
    const lines = app.logLines().filter((line) => line['trace_id'] === traceId);
    expect(lines.map((line) => line['message'])).to.include.members(['user logged in', 'request completed']);
    for (const line of lines) expect(line).to.include({ 'session.id': newSessionId, 'session.previous_id': 'session-login-1', 'user.id': 'alice' });
  });

  it("leaves the routes of other routers alone when they are given a token: no user id from a valid one, no 401 for a bad one", async () => {
    await app.close();
    app = await startTestApp({ routes: [demoRoutes, invoiceRoutes] });
    const { token } = (await (await login(JSON.stringify({ userId: 'alice' }))).json()) as { token: string };
    const valid = await request(`${app.url}/api/invoices/42`, { headers: { authorization: `Bearer ${token}` } });
    expect(await valid.json()).to.deep.equal({ id: '42', userId: null });
    const bad = await request(`${app.url}/api/invoices/42`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(bad.status).to.equal(200);
    // The demo's own route still authenticates.
    const session = await request(`${app.url}/api/session`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await session.json()) as { userId: string }).userId).to.equal('alice');
  });

  it('keeps the session of a request that brings a valid token (only the login rotates), with user.id on its span', async () => {
    const { token } = (await (await login(JSON.stringify({ userId: 'alice' }))).json()) as { token: string };
    const response = await request(`${app.url}/api/session`, {
      headers: { 'x-session-id': 'session-login-2', authorization: `Bearer ${token}` },
    });
    expect(((await response.json()) as { userId: string }).userId).to.equal('alice');
    expect(response.headers.get('x-session-id')).to.equal('session-login-2');
    const spans = await spansOfTrace(spanExporter, response.headers.get('x-trace-id')!);
    expect(spans.map((span) => span.name)).to.deep.equal(['GET /api/session']);
    expect(spans[0]!.attributes).to.include({ [ATTR_USER_ID]: 'alice', [ATTR_SESSION_ID]: 'session-login-2' });
  });

  it('answers 400 invalid_user_id when login has no valid userId', async () => {
    await expectJsonError(await login(JSON.stringify({ userId: 'bad\nuser' })), 400, 'invalid_user_id');
    await expectJsonError(await login('{}'), 400, 'invalid_user_id');
  });

  it('answers 401 invalid_token when the Authorization header is not Bearer', async () => {
    const response = await request(`${app.url}/api/session`, { headers: { authorization: 'Basic abc' } });
    await expectJsonError(response, 401, 'invalid_token');
  });

  it('answers 401 invalid_token when the token is signed with another secret', async () => {
    const forged = await signToken('alice', '1h', 'another-secret-another-secret-another');
    const response = await request(`${app.url}/api/session`, { headers: { authorization: `Bearer ${forged}` } });
    await expectJsonError(response, 401, 'invalid_token');
  });

  it('answers 401 invalid_token saying "expired" when the token has expired', async () => {
    const expired = await signToken('alice', Math.floor(Date.now() / 1000) - 60);
    const response = await request(`${app.url}/api/session`, { headers: { authorization: `Bearer ${expired}` } });
    expect(((await response.clone().json()) as { message: string }).message).to.match(/expired/);
    await expectJsonError(response, 401, 'invalid_token');
  });
});
