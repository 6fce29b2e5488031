import { expect } from 'chai';
import { TEST_USER_HEADER } from '../support/fixtures/test-routes.ts';
import { EVERY_PRINTABLE_ASCII, PROVIDER_USER_IDS } from '../support/user-ids.ts';
import { startOtlpSink, type OtlpSink, type SinkSpan } from '../support/otlp-sink.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

/** OTLP's SpanKind numbers. */
const SERVER = 2;
const CLIENT = 3;

describe('a session crossing a service boundary, edge and trusted internal service as their own processes', function () {
  this.timeout(60_000);

  let sink: OtlpSink;
  let orders: ServiceProcess | undefined;
  let api: ServiceProcess | undefined;

  beforeEach(async () => {
    sink = await startOtlpSink();
    const exportEnv = { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
    orders = await startServiceProcess({ ...exportEnv, OTEL_SERVICE_NAME: 'orders', TRUST_INCOMING_BAGGAGE: 'true' });
    api = await startServiceProcess({
      ...exportEnv,
      OTEL_SERVICE_NAME: 'api',
      PROPAGATE_USER_ID: 'true',
      TEST_DOWNSTREAM_URL: `${orders.url}/api/test/session`,
    });
  });

  afterEach(async () => {
    await Promise.all([api?.stop(), orders?.stop()]);
    await sink.close();
  });

  it('gives the downstream the same session, user and trace, and tags the spans of both services with them', async () => {
    const response = await fetch(`${api!.url}/api/test/call`, { headers: { 'x-session-id': 'session-cross-1', [TEST_USER_HEADER]: 'carol' } });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id')!;
    const body = (await response.json()) as { downstream: Record<string, unknown> };
    expect(body.downstream).to.deep.equal({ sessionId: 'session-cross-1', userId: 'carol', traceId });

    const ofTrace = (): SinkSpan[] => sink.spans.filter((span) => span.traceId === traceId);
    const serverSpanOf = (service: string): SinkSpan | undefined =>
      ofTrace().find((span) => span.kind === SERVER && span.service === service);
    await waitFor('the server spans of api and orders in the trace', () => serverSpanOf('api') !== undefined && serverSpanOf('orders') !== undefined);
    await waitFor('the client span of the call from api to orders', () => ofTrace().some((span) => span.kind === CLIENT));

    expect(serverSpanOf('api')!.name).to.equal('GET /api/test/call');
    expect(serverSpanOf('orders')!.name).to.equal('GET /api/test/session');
    for (const span of ofTrace()) expect(span.attributes['session.id'], `${span.service} ${span.name}`).to.equal('session-cross-1');
    for (const span of ofTrace().filter((candidate) => candidate.kind !== 1 || candidate.name.startsWith('request handler'))) {
      expect(span.attributes['user.id'], `${span.service} ${span.name}`).to.equal('carol');
    }
  });

  it('gives the downstream exactly the user id the edge set, for the ids identity providers issue and every printable ASCII character', async () => {
    for (const userId of [...PROVIDER_USER_IDS, EVERY_PRINTABLE_ASCII]) {
      const response = await fetch(`${api!.url}/api/test/call`, { headers: { 'x-session-id': 'session-cross-2', [TEST_USER_HEADER]: userId } });
      expect(response.status, userId).to.equal(200);
      const body = (await response.json()) as { downstream: Record<string, unknown> };
      expect(body.downstream, userId).to.include({ sessionId: 'session-cross-2', userId });
    }
  });
});
