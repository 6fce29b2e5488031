import { expect } from 'chai';
import { TEST_USER_HEADER } from '../support/fixtures/test-routes.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

describe('baggage a running service sends downstream', () => {
  let downstream: RecordingDownstream;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
  });

  afterEach(async () => {
    await service?.stop();
    await downstream.close();
  });

  /** The baggage of a call made by a request whose user is known and whose client sent baggage of its own. */
  async function callDownstreamAsUser(env: Record<string, string>): Promise<string | undefined> {
    service = await startServiceProcess({ ...env, TEST_DOWNSTREAM_URL: downstream.url, OTEL_TRACES_EXPORTER: 'none' });
    const response = await fetch(`${service.url}/api/test/call`, {
      headers: { 'x-session-id': 'session-policy-1', [TEST_USER_HEADER]: 'olivia', baggage: 'tenant=planted' },
    });
    expect(response.status, 'GET /api/test/call').to.equal(200);
    expect(downstream.received).to.have.length(1);
    const header = downstream.received[0]!.baggage;
    return Array.isArray(header) ? header.join(',') : header;
  }

  it('carries only session.id by default: the user id and client entries stay inside', async () => {
    expect(await callDownstreamAsUser({})).to.equal('session.id=session-policy-1');
  });

  it('adds user.id when PROPAGATE_USER_ID=true', async () => {
    const baggage = await callDownstreamAsUser({ PROPAGATE_USER_ID: 'true' });
    expect(baggage?.split(',').sort()).to.deep.equal(['session.id=session-policy-1', 'user.id=olivia']);
  });

  it('forwards other entries of incoming baggage when TRUST_INCOMING_BAGGAGE=true', async () => {
    const baggage = await callDownstreamAsUser({ TRUST_INCOMING_BAGGAGE: 'true' });
    expect(baggage?.split(',').sort()).to.deep.equal(['session.id=session-policy-1', 'tenant=planted']);
  });

  it('sends session.id and user.id first when the entries it forwards fill the 8,192 bytes of a baggage header (TRUST_INCOMING_BAGGAGE=true)', async () => {
    service = await startServiceProcess({
      TRUST_INCOMING_BAGGAGE: 'true',
      PROPAGATE_USER_ID: 'true',
      TEST_DOWNSTREAM_URL: downstream.url,
      OTEL_TRACES_EXPORTER: 'none',
    });
    // A caller's baggage at the limit, all of it for services further down: 63 entries of 129
    // bytes and a comma between each, 8,189 bytes. The session comes in x-session-id, the user
    // from the service's own authentication (setByKey).
    const forwarded = Array.from({ length: 63 }, (_, index) => `f${index}=${'v'.repeat(129 - String(index).length - 2)}`);
    expect(forwarded.join(',')).to.have.length(8189);
    const response = await fetch(`${service.url}/api/test/call`, {
      headers: { 'x-session-id': 'session-large-01', [TEST_USER_HEADER]: 'olivia', baggage: forwarded.join(',') },
    });
    expect(response.status, 'GET /api/test/call').to.equal(200);
    const entries = String(downstream.received[0]!.baggage).split(',');
    expect(entries.slice(0, 2)).to.deep.equal(['session.id=session-large-01', 'user.id=olivia']);
    expect(entries.join(',').length).to.be.at.most(8192);
    expect(entries.slice(2), 'the forwarded entries that fit, in their order').to.deep.equal(forwarded.slice(0, entries.length - 2));
  });

  async function sessionSeenWithCallerBaggage(env: Record<string, string>): Promise<Record<string, unknown>> {
    service = await startServiceProcess({ ...env, OTEL_TRACES_EXPORTER: 'none' });
    const response = await fetch(`${service.url}/api/test/session`, { headers: { baggage: 'session.id=session-internal,user.id=bob' } });
    return (await response.json()) as Record<string, unknown>;
  }

  it('adopts session.id but not user.id from a caller\'s baggage by default', async () => {
    expect(await sessionSeenWithCallerBaggage({})).to.include({ sessionId: 'session-internal', userId: null });
  });

  it('adopts user.id from a caller\'s baggage when TRUST_INCOMING_BAGGAGE=true', async () => {
    expect(await sessionSeenWithCallerBaggage({ TRUST_INCOMING_BAGGAGE: 'true' })).to.include({
      sessionId: 'session-internal',
      userId: 'bob',
    });
  });
});
