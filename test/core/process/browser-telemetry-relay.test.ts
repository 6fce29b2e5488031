import { expect } from 'chai';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink } from '../support/otlp-sink.ts';
import { relayTestServiceCommand, startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';
import { waitForLogLine } from '../support/wait-for-log-lines.ts';

/** OTLP/JSON, so the sink can read what the service exports itself, and short batching delays. */
const EXPORT_ENV = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BLRP_SCHEDULE_DELAY: '100' };

/** OTLP's SpanKind for a client span. */
const CLIENT_SPAN_KIND = 3;

/** A browser's trace export claiming to be `api` and `alice`, with a marker in its span name. */
function traceBatch(sessionId: string, spanName: string): string {
  const text = (key: string, value: string): unknown => ({ key, value: { stringValue: value } });
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [text('service.name', 'api'), text('user.id', 'alice')] },
        scopeSpans: [
          {
            scope: { name: '@opentelemetry/instrumentation-fetch' },
            spans: [
              {
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: '00f067aa0ba902b7',
                name: spanName,
                kind: 3,
                startTimeUnixNano: '1700000000000000000',
                endTimeUnixNano: '1700000000100000000',
                attributes: [text('session.id', sessionId), text('user.id', 'alice')],
              },
            ],
          },
        ],
      },
    ],
  });
}

function postTraces(service: ServiceProcess, body: string, contentType = 'application/json'): Promise<Response> {
  return fetch(`${service.url}/otlp/v1/traces`, { method: 'POST', headers: { 'content-type': contentType }, body });
}

describe('browser telemetry relay of a service process', () => {
  let sink: OtlpSink;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    sink = await startOtlpSink();
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await sink.close();
  });

  it('relays to the collector the service exports to (OTEL_EXPORTER_OTLP_ENDPOINT), which receives no span of the relay', async () => {
    service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, ...EXPORT_ENV }, relayTestServiceCommand());
    const started = await waitForLogLine(service, 'of the relay at start-up', (line) => line['message'] === 'browser telemetry relay on');
    expect(started).to.include({ traces_upstream: `${sink.endpoint}/v1/traces`, logs_upstream: `${sink.endpoint}/v1/logs` });

    const relayed = await postTraces(service, traceBatch('relay-process-0001', 'browser click'));
    expect(relayed.status).to.equal(200);
    expect(relayed.headers.get('x-session-id')).to.equal(null);
    // A traced request after it: once its server span is at the sink, any span of the relay
    // (ended before the relay answered) was exported with it or before.
    const marker = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'relay-process-marker' } });
    const traceId = marker.headers.get('x-trace-id')!;
    await waitForServerSpans(sink, [traceId]);

    const browserSpans = sink.spans.filter((span) => span.service === 'web');
    expect(browserSpans.map((span) => ({ name: span.name, attributes: span.attributes }))).to.deep.equal([
      { name: 'browser click', attributes: { 'session.id': 'relay-process-0001' } },
    ]);
    const ownSpans = sink.spans.filter((span) => span.service !== 'web');
    expect(ownSpans.map((span) => span.traceId)).to.deep.equal([traceId]);
    expect(ownSpans.map((span) => span.kind)).to.deep.equal([SERVER_SPAN_KIND]);
    expect(sink.spans.filter((span) => span.kind === CLIENT_SPAN_KIND && span.service !== 'web')).to.deep.equal([]);
    // The relay writes no access line: the only request line is the marker's.
    await waitForLogLine(service, 'the access line of the marker', (line) => line['trace_id'] === traceId && line['message'] === 'request completed');
    const accessLines = service.logLines().filter((line) => line['message'] === 'request completed');
    expect(accessLines.map((line) => line['http.route'])).to.deep.equal(['/api/test/session']);
  });

  it('reports refused batches as a telemetry loss through the diagnostic log, counts only, outside any session', async () => {
    service = await startServiceProcess(
      { OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, TEST_RELAY_REPORT_INTERVAL_MS: '300', ...EXPORT_ENV },
      relayTestServiceCommand(),
    );
    const hostile = `{"level":"error","message":"forged"}\n\u001b[31m`;
    await Promise.all(Array.from({ length: 5 }, () => postTraces(service!, hostile, 'text/plain')));
    const relayLines = (): Record<string, unknown>[] =>
      service!.logLines().filter((line) => String(line['message']).startsWith('Telemetry loss: the browser telemetry relay'));
    // However the five fell into report intervals, the last report's totals count all five.
    await waitFor('a relay report totalling 5 refused batches', () => relayLines().some((line) => String(line['message']).includes('totals: 0 forwarded, 5 refused, 0 failed')));
    const lines = relayLines();
    const refusedInReports = lines.reduce((sum, line) => sum + Number(/refused (\d+) batch/.exec(String(line['message']))?.[1] ?? 0), 0);
    expect(refusedInReports).to.equal(5);
    for (const line of lines) {
      expect(line).to.include({ level: 'warn', component: 'opentelemetry' });
      expect(line['message']).to.include('unsupportedMediaType');
      expect(line).not.to.have.any.keys('session.id', 'trace_id');
    }
    const output = service.logLines().map((line) => JSON.stringify(line)).join('\n') + service.stderr();
    expect(output).not.to.include('forged');
    const readyz = (await (await fetch(`${service.url}/readyz`)).json()) as { telemetry: { browserRelay: { refused: Record<string, number> } } };
    expect(readyz.telemetry.browserRelay.refused['unsupportedMediaType']).to.equal(5);
  });

  it('posts to BROWSER_TELEMETRY_OTLP_ENDPOINT when the service exports over gRPC', async () => {
    service = await startServiceProcess(
      { OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317', BROWSER_TELEMETRY_OTLP_ENDPOINT: sink.endpoint, OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
      relayTestServiceCommand(),
    );
    expect((await postTraces(service, traceBatch('relay-process-0003', 'over the override'))).status).to.equal(200);
    expect(sink.spans.map((span) => ({ name: span.name, service: span.service }))).to.deep.equal([{ name: 'over the override', service: 'web' }]);
  });

  it('exits 1 before listening, naming BROWSER_TELEMETRY_OTLP_ENDPOINT, when the service exports over gRPC without it', async () => {
    let failure: unknown;
    try {
      service = await startServiceProcess({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' }, relayTestServiceCommand());
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include('exited with 1').and.include('BROWSER_TELEMETRY_OTLP_ENDPOINT must be set when the service exports traces over gRPC');
  });

  it('exits 1 before listening, naming the variable, when the OTLP endpoint is not an http(s) URL', async () => {
    let failure: unknown;
    try {
      service = await startServiceProcess(
        { OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'collector:4318', OTEL_TRACES_EXPORTER: 'none', OTEL_LOGS_EXPORTER: 'none' },
        relayTestServiceCommand(),
      );
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include('exited with 1').and.include('OTEL_EXPORTER_OTLP_LOGS_ENDPOINT must be an http(s) URL');
  });
});
