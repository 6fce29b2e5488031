import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink, type SinkSpan } from '../../core/support/otlp-sink.ts';
import { startRecordingDownstream, type RecordingDownstream } from '../../core/support/recording-downstream.ts';
import { startCommand, startServiceProcess, waitFor, type ServiceProcess } from '../../core/support/service-process.ts';

/** The package name: `service.name` when OTEL_SERVICE_NAME is unset. */
const packageName = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { name: string }).name;

describe('the service started as npm start, exporting OTLP', function () {
  this.timeout(60_000);

  let sink: OtlpSink;
  let downstream: RecordingDownstream;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    sink = await startOtlpSink();
    downstream = await startRecordingDownstream();
    service = await startServiceProcess(
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        EXAMPLE_JOB_URL: downstream.url,
      },
      // This service's own `npm start`, not the core's fixture service.
      startCommand(),
    );
  });

  afterEach(async () => {
    expect(await service?.stop(), 'exit code after SIGTERM').to.equal(0);
    service = undefined;
    await downstream.close();
    await sink.close();
  });

  it(`exports the spans of GET /api/hello with the session id and service.name ${packageName}`, async () => {
    const response = await fetch(`${service!.url}/api/hello`, { headers: { 'x-session-id': 'process-session-01' } });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id')!;
    const spans = (await waitForServerSpans(sink, [traceId])).get(traceId)!;
    expect(spans.find((span) => span.kind === SERVER_SPAN_KIND)?.name).to.equal('GET /api/hello');
    for (const span of spans) {
      expect(span.attributes['session.id'], span.name).to.equal('process-session-01');
      expect(span.service, span.name).to.equal(packageName);
    }
  });

  it('runs a queued job in the session that queued it: its span exported, EXAMPLE_JOB_URL called with the session in baggage', async () => {
    const response = await fetch(`${service!.url}/api/jobs`, { method: 'POST', headers: { 'x-session-id': 'process-job-01' } });
    expect(response.status).to.equal(202);
    const { jobId } = (await response.json()) as { jobId: string };

    await waitFor("the job's call to EXAMPLE_JOB_URL", () => downstream.received.length > 0);
    // Only session.id: user.id leaves the process only with PROPAGATE_USER_ID=true.
    expect(downstream.received[0]!['baggage']).to.equal('session.id=process-job-01');

    let jobSpan: SinkSpan | undefined;
    await waitFor(`the span of job ${jobId} at the OTLP sink`, () => {
      jobSpan = sink.spans.find((span) => span.name === 'example job' && span.attributes['job.id'] === jobId);
      return jobSpan !== undefined;
    });
    expect(jobSpan!.attributes['session.id']).to.equal('process-job-01');
    expect(jobSpan!.service).to.equal(packageName);
  });
});
