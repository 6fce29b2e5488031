import { expect } from 'chai';
import { startOtlpSink, waitForServerSpans, type OtlpSink } from '../support/otlp-sink.ts';
import { startServiceProcess, type ServiceProcess } from '../support/service-process.ts';

/**
 * More than the 300 the service must survive: at 4 spans a request (server, two routers, the
 * route), 1,000 requests overflow the SDK's default queue of 2,048 behind a slow collector,
 * so this also proves that the larger default queue is what keeps every span.
 */
const BURST = 1000;
/** A collector that takes this long to acknowledge each export, so the queue fills up. */
const SLOW_COLLECTOR_MS = 300;

interface Delivery {
  exported: number;
  droppedQueueFull: number;
  failedExport: number;
}

async function burst(service: ServiceProcess): Promise<string[]> {
  const traceIds = await Promise.all(
    Array.from({ length: BURST }, async (_, i) => {
      const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': `burst-${String(i).padStart(6, '0')}` } });
      expect(response.status).to.equal(200);
      return response.headers.get('x-trace-id')!;
    }),
  );
  return traceIds;
}

/** How many spans one request records, measured on a request of its own before the burst. */
async function spansPerRequest(service: ServiceProcess, sink: OtlpSink): Promise<number> {
  const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'burst-calibration' } });
  expect(response.status).to.equal(200);
  const traceId = response.headers.get('x-trace-id')!;
  // The batch processor exports on its schedule; one request alone is far from a full batch,
  // so its spans all come with its server span.
  const count = (await waitForServerSpans(sink, [traceId])).get(traceId)!.length;
  sink.spans.length = 0;
  return count;
}

async function delivery(service: ServiceProcess): Promise<Delivery> {
  return ((await (await fetch(`${service.url}/readyz`)).json()) as { telemetry: { spans: Delivery } }).telemetry.spans;
}

/** A queue smaller than the burst's spans (one a request). */
const SMALL_QUEUE = 200;

describe(`a burst of ${BURST} concurrent requests against a slow collector`, () => {
  let sink: OtlpSink;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    sink = await startOtlpSink(SLOW_COLLECTOR_MS);
  });

  afterEach(async () => {
    await service?.stop('SIGKILL');
    await sink.close();
  });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    ...extra,
  });

  it('loses no span with the default configuration', async () => {
    service = await startServiceProcess(env({ OTEL_BSP_SCHEDULE_DELAY: '200' }));
    const perRequest = await spansPerRequest(service, sink);
    const traceIds = await burst(service);
    expect((await delivery(service)).droppedQueueFull).to.equal(0);
    expect(await service.stop('SIGTERM')).to.equal(0);

    const wanted = new Set(traceIds);
    const received = sink.spans.filter((span) => wanted.has(span.traceId));
    const tracesWithServerSpan = new Set(received.filter((span) => span.kind === 2).map((span) => span.traceId));
    expect(tracesWithServerSpan.size).to.equal(BURST);
    // One server span a request (test/core/integration/span-shape.test.ts).
    expect(perRequest).to.equal(1);
    expect(received.length).to.equal(BURST * perRequest);
    console.log(`      ${perRequest} spans per request, ${received.length} in the burst, all delivered`);
  });

  it('counts and reports every span it drops when the queue is made too small', async () => {
    service = await startServiceProcess(
      env({ OTEL_BSP_MAX_QUEUE_SIZE: String(SMALL_QUEUE), OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100', OTEL_BSP_SCHEDULE_DELAY: '200' }),
    );
    const perRequest = await spansPerRequest(service, sink);
    await burst(service);
    const counted = await delivery(service);
    expect(counted.droppedQueueFull).to.be.greaterThan(0);
    expect(await service.stop('SIGTERM')).to.equal(0);

    const warnings = service.logLines().filter((line) => String(line['message']).startsWith('Telemetry loss'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]!['level']).to.equal('warn');
    const totals = /totals: (\d+) exported, (\d+) dropped, (\d+) failed/.exec(String(warnings[0]!['message']));
    expect(totals, 'the warning states the totals').not.to.equal(null);
    const [exported, dropped, failed] = totals!.slice(1).map(Number);
    expect(dropped).to.be.at.least(counted.droppedQueueFull);
    expect(failed).to.equal(0);
    // What the collector received plus what was reported dropped is every span of the burst.
    expect(exported, 'exported counts the calibration request too').to.equal(sink.spans.length + perRequest);
    expect(sink.spans.length + dropped!).to.equal(BURST * perRequest);
    console.log(`      queue of ${SMALL_QUEUE}: ${dropped!} spans dropped and reported, ${exported!} delivered`);
  });
});
