import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'chai';
import { TEST_USER_HEADER, type CallResult, type SessionSnapshot } from '../support/fixtures/test-routes.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../support/recording-downstream.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

describe('the service with OTEL_SDK_DISABLED=true', () => {
  let downstream: RecordingDownstream;
  const services: ServiceProcess[] = [];

  beforeEach(async () => {
    downstream = await startRecordingDownstream();
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await downstream.close();
  });

  async function start(env: Record<string, string>): Promise<ServiceProcess> {
    const service = await startServiceProcess(env);
    services.push(service);
    return service;
  }

  it('keeps its own sessions (headers, getByKey/setByKey, log fields) when the SDK is disabled', async () => {
    const service = await start({ OTEL_SDK_DISABLED: 'true' });
    const response = await fetch(`${service.url}/api/test/session`, {
      headers: { 'x-session-id': 'session-nosdk-01', [TEST_USER_HEADER]: 'olivia' },
    });
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-session-id')).to.equal('session-nosdk-01');
    expect(response.headers.get('x-trace-id'), 'no span, so no trace id').to.equal(null);
    // userId was set by the test routes' stand-in for authentication (setByKey) and read by the route (getByKey).
    expect(await response.json()).to.deep.equal({ sessionId: 'session-nosdk-01', userId: 'olivia', traceId: null });

    const isAccessLine = (line: Record<string, unknown>): boolean =>
      line['message'] === 'request completed' && line['http.route'] === '/api/test/session';
    await waitFor('the access log line of GET /api/test/session', () => service.logLines().some(isAccessLine));
    const access = service.logLines().find(isAccessLine)!;
    expect(access).to.include({ 'session.id': 'session-nosdk-01', 'user.id': 'olivia' });
    expect(access).not.to.have.property('trace_id');
  });

  it('sends neither traceparent nor baggage downstream when the SDK is disabled, even with PROPAGATE_USER_ID=true', async () => {
    const service = await start({ OTEL_SDK_DISABLED: 'true', TEST_DOWNSTREAM_URL: downstream.url, PROPAGATE_USER_ID: 'true' });
    const response = await fetch(`${service.url}/api/test/call`, {
      headers: { 'x-session-id': 'session-nosdk-02', [TEST_USER_HEADER]: 'olivia', baggage: 'session.id=session-nosdk-02' },
    });
    expect(response.status, 'GET /api/test/call').to.equal(200);
    // The service answered only after the downstream did: its request is recorded by now.
    expect(downstream.received).to.have.length(1);
    const headers = downstream.received[0]!;
    expect(headers).not.to.have.property('traceparent');
    expect(headers).not.to.have.property('tracestate');
    expect(headers).not.to.have.property('baggage');
  });

  it('leaves a downstream service to start a session of its own when the caller has the SDK disabled', async () => {
    // The downstream is a service with the SDK on, trusting its caller's baggage.
    const orders = await start({ OTEL_TRACES_EXPORTER: 'none', TRUST_INCOMING_BAGGAGE: 'true' });
    const api = await start({ OTEL_SDK_DISABLED: 'true', TEST_DOWNSTREAM_URL: `${orders.url}/api/test/session`, PROPAGATE_USER_ID: 'true' });
    const response = await fetch(`${api.url}/api/test/call`, {
      headers: { 'x-session-id': 'session-nosdk-03', [TEST_USER_HEADER]: 'olivia' },
    });
    expect(response.status, 'GET /api/test/call').to.equal(200);
    const seen = ((await response.json()) as CallResult).downstream as SessionSnapshot;
    expect(seen.sessionId, 'a fresh session id').to.be.a('string').and.not.equal('session-nosdk-03');
    expect(seen.userId).to.equal(null);
    expect(seen.traceId, 'a trace of its own').to.be.a('string');
  });

  it('is documented exactly that way in the configuration table when OTEL_SDK_DISABLED is listed', () => {
    // The template keeps its configuration reference in docs/; a generated service, in its README.
    const reference = ['../../../docs/configuration.md', '../../../README.md'].map((path) => new URL(path, import.meta.url)).find(existsSync);
    expect(reference, 'docs/configuration.md or README.md').not.to.equal(undefined);
    const row = readFileSync(reference!, 'utf8').split('\n').find((line) => line.startsWith('| `OTEL_SDK_DISABLED` |'));
    expect(row, 'the OTEL_SDK_DISABLED row').to.be.a('string');
    expect(row).to.include('no spans').and.include('neither `traceparent` nor `baggage`').and.include('a session of its own');
  });
});
