import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

describe('baggage a running service sends downstream', () => {
  let downstream: Server;
  let received: IncomingHttpHeaders[];
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    received = [];
    downstream = createServer((req, res) => {
      received.push(req.headers);
      res.setHeader('content-type', 'application/json');
      res.end('{}');
    });
    await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    await service?.stop();
    downstream.closeAllConnections();
    await new Promise((resolve) => downstream.close(resolve));
  });

  async function callDownstreamAfterLogin(env: Record<string, string>): Promise<string | undefined> {
    const { port } = downstream.address() as AddressInfo;
    service = await startServiceProcess({ ...env, DOWNSTREAM_URL: `http://127.0.0.1:${port}/`, OTEL_TRACES_EXPORTER: 'none' });
    const login = await fetch(`${service.url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'olivia' }),
    });
    const { token } = (await login.json()) as { token: string };
    await fetch(`${service.url}/api/downstream`, {
      headers: { 'x-session-id': 'session-policy-1', authorization: `Bearer ${token}`, baggage: 'tenant=planted' },
    });
    const header = received[0]?.baggage;
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
});
