import { expect } from 'chai';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink } from '../../core/support/otlp-sink.ts';
import { startCommand, startServiceProcess, type ServiceProcess } from '../../core/support/service-process.ts';

/** Logs `userId` in at `service` and returns the Bearer token. */
async function login(service: ServiceProcess, userId: string, sessionId: string): Promise<string> {
  const response = await fetch(`${service.url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-session-id': sessionId },
    body: JSON.stringify({ userId }),
  });
  expect(response.status, 'POST /api/login').to.equal(200);
  return ((await response.json()) as { token: string }).token;
}

describe('the demo service started as npm start', function () {
  this.timeout(60_000);

  let sink: OtlpSink;
  const services: ServiceProcess[] = [];

  beforeEach(async () => {
    sink = await startOtlpSink();
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((service) => service.stop()));
    await sink.close();
  });

  async function start(env: Record<string, string>): Promise<ServiceProcess> {
    const service = await startServiceProcess(env, startCommand());
    services.push(service);
    return service;
  }

  it('exports the request\'s span, named after its route, with the session and the user when a request brings a token', async () => {
    const service = await start({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' });
    const token = await login(service, 'alice', 'session-demo-01');
    const response = await fetch(`${service.url}/api/session`, { headers: { 'x-session-id': 'session-demo-01', authorization: `Bearer ${token}` } });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id')!;
    await waitForServerSpans(sink, [traceId]);
    // Whatever else the request recorded is exported by the time the process has exited.
    await service.stop();
    const spans = sink.spans.filter((span) => span.traceId === traceId);
    expect(spans.map((span) => [span.name, span.kind])).to.deep.equal([['GET /api/session', SERVER_SPAN_KIND]]);
    expect(spans[0]!.attributes).to.include({ 'http.route': '/api/session', 'session.id': 'session-demo-01', 'user.id': 'alice' });
  });

  it('gives another service the same session, user and trace when GET /api/downstream calls it after login', async () => {
    const orders = await start({ OTEL_TRACES_EXPORTER: 'none', TRUST_INCOMING_BAGGAGE: 'true' });
    const api = await start({ OTEL_TRACES_EXPORTER: 'none', PROPAGATE_USER_ID: 'true', DOWNSTREAM_URL: `${orders.url}/api/session` });
    const token = await login(api, 'carol', 'session-demo-02');
    const response = await fetch(`${api.url}/api/downstream`, { headers: { 'x-session-id': 'session-demo-02', authorization: `Bearer ${token}` } });
    expect(response.status).to.equal(200);
    const body = (await response.json()) as { status: number; downstream: Record<string, unknown> };
    expect(body).to.deep.equal({
      status: 200,
      downstream: { sessionId: 'session-demo-02', userId: 'carol', traceId: response.headers.get('x-trace-id') },
    });
  });
});
