import { expect } from 'chai';
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

  async function callDownstreamAfterLogin(env: Record<string, string>): Promise<string | undefined> {
    service = await startServiceProcess({ ...env, DOWNSTREAM_URL: downstream.url, OTEL_TRACES_EXPORTER: 'none' });
    const login = await fetch(`${service.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'olivia' }),
    });
    const { token } = (await login.json()) as { token: string };
    await fetch(`${service.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-policy-1', authorization: `Bearer ${token}`, baggage: 'tenant=planted' },
    });
    const header = downstream.received[0]?.baggage;
    return Array.isArray(header) ? header.join(',') : header;
  }

  it('carries only session.id by default: the user id and client entries stay inside', async () => {
    expect(await callDownstreamAfterLogin({})).to.equal('session.id=session-policy-1');
  });

  it('adds user.id when PROPAGATE_USER_ID=true', async () => {
    const baggage = await callDownstreamAfterLogin({ PROPAGATE_USER_ID: 'true' });
    expect(baggage?.split(',').sort()).to.deep.equal(['session.id=session-policy-1', 'user.id=olivia']);
  });

  it('forwards other entries of incoming baggage when TRUST_INCOMING_BAGGAGE=true', async () => {
    const baggage = await callDownstreamAfterLogin({ TRUST_INCOMING_BAGGAGE: 'true' });
    expect(baggage?.split(',').sort()).to.deep.equal(['session.id=session-policy-1', 'tenant=planted']);
  });

  async function sessionSeenWithCallerBaggage(env: Record<string, string>): Promise<Record<string, unknown>> {
    service = await startServiceProcess({ ...env, OTEL_TRACES_EXPORTER: 'none' });
    const response = await fetch(`${service.url}/api/session`, { headers: { baggage: 'session.id=session-internal,user.id=bob' } });
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
