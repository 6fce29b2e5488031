import { expect } from 'chai';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

describe('outgoing baggage allowlist (BAGGAGE_ALLOWED_HOSTS)', () => {
  let downstream: RecordingDownstream;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
  });

  afterEach(async () => {
    await service?.stop();
    await downstream.close();
  });

  /** Calls `url` through GET /api/downstream and returns the baggage header it received. */
  async function baggageReceivedAt(url: string, env: Record<string, string> = {}): Promise<string | string[] | undefined> {
    service = await startServiceProcess({ ...env, DOWNSTREAM_URL: url, OTEL_TRACES_EXPORTER: 'none' });
    const response = await fetch(`${service.url}/api/downstream`, { headers: { 'x-session-id': 'session-allow-1' } });
    expect(response.status).to.equal(200);
    expect(downstream.received).to.have.length(1);
    return downstream.received[0]!.baggage;
  }

  it('sends baggage to the downstream host, allowed by default', async () => {
    expect(await baggageReceivedAt(downstream.url)).to.equal('session.id=session-allow-1');
  });

  it('sends no baggage to a host that is not on the list, though the call itself goes through', async () => {
    // The same local server reached by another name stands in for a third party.
    const thirdParty = downstream.url.replace('127.0.0.1', 'localhost');
    const headers = await baggageReceivedAt(thirdParty, { BAGGAGE_ALLOWED_HOSTS: 'orders.internal' });
    expect(headers).to.equal(undefined);
    expect(downstream.received[0]!.traceparent, 'trace context still flows').to.match(/^00-/);
  });
});
