import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { CALL_STYLES, type CallStyle } from '../support/fixtures/call-style-routes.ts';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink } from '../support/otlp-sink.ts';
import { startRecordingDownstream, TEST_TLS_CERT_FILE, type RecordingDownstream } from '../support/recording-downstream.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

const CLIENT_SPAN_KIND = 3;

/**
 * Every way service code calls out makes exactly one client span, with `traceparent` and the
 * session's baggage (issue "One server span per request, made by the core", item 3): a
 * service started with the core's preload, as production starts one, calling an HTTP and an
 * HTTPS downstream on loopback. Named imports of `node:http` went untraced before, and a
 * naive fix records each call by the default import twice: both show here as a count other than 1.
 */
describe('outgoing calls of every style (service process, OTLP sink)', function () {
  this.timeout(120_000);
  let sink: OtlpSink;
  let downstream: RecordingDownstream;
  let tlsDownstream: RecordingDownstream;
  let service: ServiceProcess;

  before(async () => {
    sink = await startOtlpSink();
    downstream = await startRecordingDownstream();
    tlsDownstream = await startRecordingDownstream('127.0.0.1', { tls: true });
    service = await startServiceProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      TEST_DOWNSTREAM_URL: downstream.url,
      TEST_TLS_DOWNSTREAM_URL: tlsDownstream.url,
      TEST_TLS_CA_FILE: fileURLToPath(TEST_TLS_CERT_FILE),
    });
  });

  after(async () => {
    await service.stop();
    await tlsDownstream.close();
    await downstream.close();
    await sink.close();
  });

  for (const style of Object.keys(CALL_STYLES) as CallStyle[]) {
    it(`makes one client span with traceparent and baggage for ${style}`, async () => {
      const sessionId = `call-style-${style}`;
      const response = await fetch(`${service.url}/api/calls/${style}`, { headers: { 'x-session-id': sessionId } });
      expect(response.status, await response.text()).to.equal(200);
      const traceId = response.headers.get('x-trace-id') ?? 'missing x-trace-id';
      // The client span ends before the handler answers, so before the server span ends.
      const spans = (await waitForServerSpans(sink, [traceId])).get(traceId)!;
      const server = spans.find((span) => span.kind === SERVER_SPAN_KIND)!;
      const clients = spans.filter((span) => span.kind === CLIENT_SPAN_KIND);
      expect(clients, 'client spans').to.have.length(1);
      expect(clients[0]!.parentSpanId).to.equal(server.spanId);
      expect(clients[0]!.attributes['session.id']).to.equal(sessionId);

      const target = style.startsWith('https-') ? tlsDownstream : downstream;
      const received = target.received.filter((headers) => String(headers.baggage).includes(`session.id=${sessionId}`));
      expect(received, 'requests the downstream received in this session').to.have.length(1);
      expect(received[0]!.traceparent).to.equal(`00-${traceId}-${clients[0]!.spanId}-01`);
    });
  }
});
