import { expect } from 'chai';
import { demoRoutes } from '../../../src/demo/index.ts';
import { closedPort } from '../../core/support/ports.ts';
import { expectJsonError } from '../../core/support/expect-json-error.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../../core/support/recording-downstream.ts';
import { request, startTestApp, type TestApp } from '../../core/support/test-app.ts';

describe('the demo downstream call (GET /api/downstream)', () => {
  let downstream: RecordingDownstream;
  let app: TestApp | undefined;

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await downstream.close();
  });

  it('answers the downstream JSON and sends it the session and the logged-in user when DOWNSTREAM_URL is set', async () => {
    // The test process is an edge that propagates user.id (test/core/support/integration-preload.ts).
    app = await startTestApp({ env: { DOWNSTREAM_URL: downstream.url }, routes: [demoRoutes] });
    const login = await request(`${app.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-demo-down' },
      body: JSON.stringify({ userId: 'dave' }),
    });
    const { token } = (await login.json()) as { token: string };
    const response = await request(`${app.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-demo-down', authorization: `Bearer ${token}` },
    });
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ status: 200, downstream: {} });
    expect(downstream.received).to.have.length(1);
    const baggage = String(downstream.received[0]!.baggage).split(',').map((entry) => entry.trim()).sort();
    expect(baggage).to.deep.equal(['session.id=session-demo-down', 'user.id=dave']);
  });

  it('answers 502 bad_gateway in JSON when the downstream does not answer', async () => {
    app = await startTestApp({ env: { DOWNSTREAM_URL: `http://127.0.0.1:${await closedPort()}/unreachable` }, routes: [demoRoutes] });
    await expectJsonError(await request(`${app.url}/api/downstream`), 502, 'bad_gateway');
  });
});
