import { expect } from 'chai';
import { startOtlpSink, waitForServerSpans, type OtlpSink } from '../support/otlp-sink.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

/** OTLP/JSON, so the sink can read what it receives, and short batching delays. */
const EXPORT_ENV = { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_BLRP_SCHEDULE_DELAY: '100' };

describe('log record export of a service process', () => {
  let sink: OtlpSink;
  let logSink: OtlpSink;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    [sink, logSink] = await Promise.all([startOtlpSink(), startOtlpSink()]);
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await Promise.all([sink.close(), logSink.close()]);
  });

  it('exports every log line of a request to the collector of the traces when nothing is configured', async () => {
    service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_SERVICE_NAME: 'log-export-test', ...EXPORT_ENV });
    const response = await fetch(`${service.url}/api/test/user`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-id': 'session-export-process-1' },
      body: JSON.stringify({ userId: 'ivan' }),
    });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id')!;
    const ofRequest = (): typeof sink.logRecords => sink.logRecords.filter((record) => record.traceId === traceId);
    const linesOfRequest = (): Record<string, unknown>[] => service!.logLines().filter((line) => line['trace_id'] === traceId);
    await waitFor('the log records of the request at the collector', () => ofRequest().length === 2, 10_000, () => `${sink.logRecords.length} received`);
    await waitFor('the JSON lines of the request on stdout', () => linesOfRequest().length === 2, 10_000);

    const lines = linesOfRequest();
    expect(ofRequest().map((record) => record.body).sort()).to.deep.equal(lines.map((line) => line['message']).sort());
    for (const record of ofRequest()) {
      const line = lines.find((candidate) => candidate['message'] === record.body)!;
      expect(record.spanId).to.equal(line['span_id']);
      expect(record.service).to.equal('log-export-test');
      expect(record.severityText).to.equal('info');
      expect(record.attributes).to.include({ 'session.id': 'session-export-process-1', 'user.id': 'ivan' });
      expect(record.attributes).not.to.have.any.keys('trace_id', 'span_id', 'trace_flags');
    }
    expect(sink.paths).to.include('/v1/logs');
  });

  it('exports each record once when the winston instrumentation is chosen too', async () => {
    service = await startServiceProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,undici,winston',
      ...EXPORT_ENV,
    });
    const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-export-process-4' } });
    const traceId = response.headers.get('x-trace-id')!;
    await waitFor('the access record at the collector', () => sink.logRecords.some((record) => record.traceId === traceId), 10_000);
    // Whatever else was queued is exported by the time the process has exited.
    expect(await service.stop()).to.equal(0);
    expect(sink.logRecords.filter((record) => record.traceId === traceId).map((record) => record.body)).to.deep.equal(['request completed']);
    // The instrumentation adds no trace fields of its own, which the logger would keep as a caller's (meta.trace_id).
    const access = service.logLines().find((line) => line['trace_id'] === traceId)!;
    expect(Object.keys(access).filter((name) => name.startsWith('meta.'))).to.deep.equal([]);
  });

  it('cuts values to OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT, marked, in the JSON line and in the exported record alike', async () => {
    service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT: '40', ...EXPORT_ENV });
    // The listening line's telemetry field names both OTLP endpoints: longer than 40 characters.
    await waitFor('the listening record at the collector', () => sink.logRecords.some((record) => record.body === 'listening'), 10_000);
    const line = service.logLines().find((candidate) => candidate['message'] === 'listening')!;
    expect(line['telemetry']).to.match(/^traces to .*…\[\d+ more characters\]$/).and.to.have.length.at.most(40);
    expect(sink.logRecords.find((record) => record.body === 'listening')!.attributes['telemetry']).to.equal(line['telemetry']);
  });

  it('sends log records to OTEL_EXPORTER_OTLP_LOGS_ENDPOINT and traces to the common endpoint', async () => {
    service = await startServiceProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${logSink.endpoint}/v1/logs`,
      ...EXPORT_ENV,
    });
    const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-export-process-2' } });
    const traceId = response.headers.get('x-trace-id')!;
    await waitForServerSpans(sink, [traceId]);
    await waitFor('the access record at the logs endpoint', () => logSink.logRecords.some((record) => record.traceId === traceId), 10_000);
    // Everything queued is exported by the time the process has exited.
    expect(await service.stop()).to.equal(0);
    expect(sink.paths).not.to.include('/v1/logs');
    expect(logSink.paths).not.to.include('/v1/traces');
  });

  it('exports no log record when OTEL_LOGS_EXPORTER=none, and still every span', async () => {
    service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_LOGS_EXPORTER: 'none', ...EXPORT_ENV });
    const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-export-process-3' } });
    await waitForServerSpans(sink, [response.headers.get('x-trace-id')!]);
    // Shutdown exports whatever is queued: a log record would have arrived by the time it exits.
    expect(await service.stop()).to.equal(0);
    expect(sink.paths).not.to.include('/v1/logs');
    expect(service.logLines().some((line) => line['message'] === 'request completed')).to.equal(true);
  });
});
