import { expect } from 'chai';
import { TEST_USER_HEADER } from '../support/fixtures/test-routes.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { request, startTestApp, type TestApp } from '../support/test-app.ts';

describe('outgoing baggage', () => {
  let app: TestApp;
  let downstream: RecordingDownstream;

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
    app = await startTestApp({ env: { TEST_DOWNSTREAM_URL: downstream.url } });
  });

  afterEach(async () => {
    await app.close();
    await downstream.close();
  });

  it('carries session.id and the user id the store holds when the call is made', async () => {
    const response = await request(`${app.url}/api/test/call`, {
      headers: { 'x-session-id': 'session-bag-01', [TEST_USER_HEADER]: 'dave' },
    });
    expect(response.status).to.equal(200);
    expect(downstream.received).to.have.length(1);
    const baggage = String(downstream.received[0]!.baggage).split(',').map((entry) => entry.trim()).sort();
    expect(baggage).to.deep.equal(['session.id=session-bag-01', 'user.id=dave']);
    expect(downstream.received[0]!.traceparent).to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('does not forward baggage entries a client planted when the service does not trust its callers', async () => {
    const response = await request(`${app.url}/api/test/call`, {
      headers: { 'x-session-id': 'session-bag-02', baggage: 'user.id=mallory,tenant=evil' },
    });
    expect(response.status).to.equal(200);
    expect(downstream.received[0]!.baggage).to.equal('session.id=session-bag-02');
  });
});
