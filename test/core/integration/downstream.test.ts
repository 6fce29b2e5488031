import { expect } from 'chai';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

async function login(app: TestApp, userId: string, sessionId: string): Promise<string> {
  const response = await request(`${app.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-id': sessionId },
    body: JSON.stringify({ userId }),
  });
  return ((await response.json()) as { token: string }).token;
}

describe('outgoing baggage', () => {
  let app: TestApp;
  let downstream: RecordingDownstream;

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
    app = await startTestApp({ DOWNSTREAM_URL: downstream.url });
  });

  afterEach(async () => {
    await app.close();
    await downstream.close();
  });

  it('carries session.id and the user id that the store holds at the time of the call', async () => {
    const token = await login(app, 'dave', 'session-bag-01');
    await request(`${app.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-bag-01', authorization: `Bearer ${token}` },
    });
    expect(downstream.received).to.have.length(1);
    const baggage = String(downstream.received[0]!.baggage).split(',').map((entry) => entry.trim()).sort();
    expect(baggage).to.deep.equal(['session.id=session-bag-01', 'user.id=dave']);
    expect(downstream.received[0]!.traceparent).to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('does not forward baggage entries planted by an untrusted client', async () => {
    await request(`${app.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-bag-02', baggage: 'user.id=mallory,tenant=evil' },
    });
    expect(downstream.received[0]!.baggage).to.equal('session.id=session-bag-02');
  });
});
