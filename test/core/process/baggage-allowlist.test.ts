import type { IncomingHttpHeaders } from 'node:http';
import { expect } from 'chai';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/** Another loopback address: a host of its own by name, not on the default list. */
const OTHER_HOST = '127.0.0.2';

describe('outgoing baggage allowlist (BAGGAGE_ALLOWED_HOSTS)', () => {
  let downstream: RecordingDownstream | undefined;
  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop();
    await downstream?.close();
    service = undefined;
    downstream = undefined;
  });

  /**
   * Starts a downstream listening on `listenHost`, and the service calling it as `callHost`
   * through GET /api/test/call; returns the headers of the one call it received.
   */
  async function callReceived(listenHost: string, callHost: string, env: Record<string, string> = {}): Promise<IncomingHttpHeaders> {
    downstream = await startRecordingDownstream(listenHost);
    const url = new URL(downstream.url);
    url.hostname = callHost;
    service = await startServiceProcess({ ...env, TEST_DOWNSTREAM_URL: url.href, OTEL_TRACES_EXPORTER: 'none' });
    const response = await fetch(`${service.url}/api/test/call`, { headers: { 'x-session-id': 'session-allow-1' } });
    expect(response.status).to.equal(200);
    expect(downstream.received).to.have.length(1);
    return downstream.received[0]!;
  }

  it('sends baggage to 127.0.0.1 when BAGGAGE_ALLOWED_HOSTS is unset (the default is loopback)', async () => {
    expect((await callReceived('127.0.0.1', '127.0.0.1')).baggage).to.equal('session.id=session-allow-1');
  });

  it('sends baggage to localhost when BAGGAGE_ALLOWED_HOSTS is unset', async () => {
    expect((await callReceived('127.0.0.1', 'localhost')).baggage).to.equal('session.id=session-allow-1');
  });

  it('sends no baggage, though the call and its trace context go through, to a host not on the default list', async () => {
    const headers = await callReceived(OTHER_HOST, OTHER_HOST);
    expect(headers.baggage).to.equal(undefined);
    expect(headers.traceparent, 'trace context still flows').to.match(/^00-/);
  });

  it('sends baggage to a host when BAGGAGE_ALLOWED_HOSTS lists it', async () => {
    expect((await callReceived(OTHER_HOST, OTHER_HOST, { BAGGAGE_ALLOWED_HOSTS: `orders.internal,${OTHER_HOST}` })).baggage).to.equal(
      'session.id=session-allow-1',
    );
  });

  it('sends no baggage to loopback when BAGGAGE_ALLOWED_HOSTS is set without it (the list replaces the default)', async () => {
    const headers = await callReceived('127.0.0.1', '127.0.0.1', { BAGGAGE_ALLOWED_HOSTS: 'orders.internal' });
    expect(headers.baggage).to.equal(undefined);
    expect(headers.traceparent, 'trace context still flows').to.match(/^00-/);
  });
});
