import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { CALL_STYLES, type CallStyle } from '../support/fixtures/call-style-routes.ts';
import { SERVER_SPAN_KIND, startOtlpSink, type OtlpSink, type SinkSpan } from '../support/otlp-sink.ts';
import { startRecordingDownstream, TEST_TLS_CERT_FILE, type RecordingDownstream } from '../support/recording-downstream.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

const CLIENT_SPAN_KIND = 3;

/** 'http-named-request' reads 'http.request by named import'. */
function describeStyle(style: CallStyle): string {
  if (style === 'fetch') return 'global fetch';
  const [module, importKind, call] = style.split('-');
  return `${module}.${call} by ${importKind} import`;
}

/** The entries of a `baggage` header, `key=value` each. */
function baggageEntries(header: string | string[] | undefined): string[] {
  return String(header ?? '').split(',').map((entry) => entry.split(';')[0]!.trim());
}

/**
 * Every way service code calls out makes exactly one client span, with `traceparent` and the
 * session's baggage (issue 20, item 3): a service started with the core's preload, as
 * production starts one, calling an HTTP and an HTTPS downstream on loopback (allowed to
 * receive baggage). Named and namespace imports of `node:http` went untraced before the core
 * synced the builtins' ESM exports (see startServiceTelemetry), and a second patch records each
 * call twice: both show here as a number of client spans other than 1.
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
      BAGGAGE_ALLOWED_HOSTS: '127.0.0.1',
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
    it(`makes one client span with traceparent and baggage for ${describeStyle(style)}`, async () => {
      const sessionId = `call-style-${style}`;
      const response = await fetch(`${service.url}/api/calls/${style}`, { headers: { 'x-session-id': sessionId } });
      expect(response.status, await response.text()).to.equal(200);
      const traceId = response.headers.get('x-trace-id') ?? 'missing x-trace-id';
      const ofTrace = (): SinkSpan[] => sink.spans.filter((span) => span.traceId === traceId);
      // The batch processor exports one batch at a time, spans in the order they ended: once
      // the server span and a client span are both here, so is every span that ended before
      // the later of them, a second client span of the same call included (it ends on the
      // same response).
      await waitFor(
        `the server span and a client span of trace ${traceId}`,
        () => ofTrace().some((span) => span.kind === SERVER_SPAN_KIND) && ofTrace().some((span) => span.kind === CLIENT_SPAN_KIND),
        10_000,
        () => `spans of the trace so far: ${JSON.stringify(ofTrace().map((span) => [span.name, span.kind]))}`,
      );
      const server = ofTrace().find((span) => span.kind === SERVER_SPAN_KIND)!;
      const clients = ofTrace().filter((span) => span.kind === CLIENT_SPAN_KIND);
      expect(clients, 'client spans').to.have.length(1);
      expect(clients[0]!.parentSpanId).to.equal(server.spanId);
      expect(clients[0]!.attributes['session.id']).to.equal(sessionId);

      const target = style.startsWith('https-') ? tlsDownstream : downstream;
      const received = target.received.filter((headers) => baggageEntries(headers.baggage).includes(`session.id=${sessionId}`));
      expect(received, 'requests the downstream received with this session in their baggage').to.have.length(1);
      expect(received[0]!.traceparent).to.equal(`00-${traceId}-${clients[0]!.spanId}-01`);
    });
  }
});
