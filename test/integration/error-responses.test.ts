import { expect } from 'chai';
import { SignJWT } from 'jose';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

describe('error responses', () => {
  let app: TestApp;

  before(async () => {
    app = await startTestApp({ JSON_BODY_LIMIT: '1kb' });
  });

  after(async () => {
    await app.close();
  });

  async function expectJsonError(response: Response, status: number, code: string): Promise<void> {
    expect(response.status).to.equal(status);
    expect(response.headers.get('content-type')).to.match(/^application\/json/);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body['error']).to.equal(code);
    expect(JSON.stringify(body)).not.to.match(/ at |stack/i);
    expect(response.headers.get('x-session-id')).to.be.a('string');
  }

  const postJson = (body: string): Promise<Response> =>
    request(`${app.url}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('answers 404 in JSON for an unknown route, without echoing the path', async () => {
    const response = await request(`${app.url}/no/such/route-secret`);
    await expectJsonError(response.clone(), 404, 'not_found');
    expect(await response.text()).not.to.include('route-secret');
  });

  it('answers 400 in JSON, not an HTML stack trace, for invalid JSON', async () => {
    await expectJsonError(await postJson('{"userId": '), 400, 'invalid_json');
  });

  it('logs a rejected body by error type only, never quoting it', async () => {
    // Short on purpose: Node cuts long JSON parse messages down to a snippet, hiding a leak.
    await expectJsonError(await postJson('{"p":hunter2}'), 400, 'invalid_json');
    const rejected = app.logLines().filter((line) => line['message'] === 'request rejected' && line['error.type'] === 'invalid_json');
    expect(rejected.length).to.be.at.least(1);
    expect(rejected.at(-1)).to.include({ 'http.status_code': 400 });
    expect(JSON.stringify(app.logLines())).not.to.include('hunter2');
  });

  it('answers 413 for a JSON body over JSON_BODY_LIMIT', async () => {
    await expectJsonError(await postJson(JSON.stringify({ userId: 'x'.repeat(2048) })), 413, 'payload_too_large');
  });

  it('answers 400 when login has no valid userId', async () => {
    await expectJsonError(await postJson(JSON.stringify({ userId: 'bad\nuser' })), 400, 'invalid_user_id');
    await expectJsonError(await postJson('{}'), 400, 'invalid_user_id');
  });

  it('answers 401 for a malformed Authorization header', async () => {
    const response = await request(`${app.url}/api/session`, { headers: { authorization: 'Basic abc' } });
    await expectJsonError(response, 401, 'invalid_token');
  });

  it('answers 401 for a token signed with another secret', async () => {
    const forged = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    const response = await request(`${app.url}/api/session`, { headers: { authorization: `Bearer ${forged}` } });
    await expectJsonError(response, 401, 'invalid_token');
  });

  it('answers 401 with "expired" for an expired token', async () => {
    const expired = await new SignJWT({ sub: 'alice' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(app.config.tokenSecret));
    const response = await request(`${app.url}/api/session`, { headers: { authorization: `Bearer ${expired}` } });
    expect(((await response.clone().json()) as { message: string }).message).to.match(/expired/);
    await expectJsonError(response, 401, 'invalid_token');
  });

  it('answers 502 in JSON when the downstream does not answer', async () => {
    const broken = await startTestApp({ DOWNSTREAM_URL: 'http://127.0.0.1:9/unreachable' });
    try {
      await expectJsonError(await request(`${broken.url}/api/downstream`), 502, 'bad_gateway');
    } finally {
      await broken.close();
    }
  });

  it('reports readiness and the span delivery counters on /readyz', async () => {
    const response = await request(`${app.url}/readyz`);
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { status: string; telemetry: Record<string, number> };
    expect(body.status).to.equal('ready');
    expect(body.telemetry).to.have.keys(['exported', 'droppedQueueFull', 'failedExport']);
  });

  it('answers /readyz 503 and tells clients to close their connections once draining', async () => {
    const draining = await startTestApp();
    try {
      draining.readiness.ready = false;
      const ready = await request(`${draining.url}/readyz`);
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { status: string }).status).to.equal('shutting_down');
      const answer = await request(`${draining.url}/api/session`);
      expect(answer.status).to.equal(200);
      expect(answer.headers.get('connection')).to.equal('close');
    } finally {
      await draining.close();
    }
  });
});
