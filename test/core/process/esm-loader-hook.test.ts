import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { SERVER_SPAN_KIND, startOtlpSink, waitForServerSpans, type OtlpSink, type SinkSpan } from '../support/otlp-sink.ts';
import { startServiceProcess, testServiceCommand, waitFor, type ServiceProcess } from '../support/service-process.ts';

const EXPRESS_SCOPE = '@opentelemetry/instrumentation-express';
/** The instrumentations when a user chooses express too (off by default). */
const EXPRESS_CHOSEN = 'http,express,undici';
const { version } = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };

describe('a service started with the core preload, as production starts it', () => {
  let sink: OtlpSink;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    sink = await startOtlpSink();
  });

  afterEach(async () => {
    await service?.stop();
    await sink.close();
  });

  const exportEnv = (): Record<string, string> => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_SERVICE_NAME: 'esm-hook-test',
  });

  it('records one span for a request, named after its route, with the session and the service identity on it', async () => {
    service = await startServiceProcess(exportEnv());
    const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-esm-00' } });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id')!;
    await waitForServerSpans(sink, [traceId]);
    // Whatever else the request recorded is exported by the time the process has exited.
    await service.stop();
    const spans = sink.spans.filter((span) => span.traceId === traceId);
    expect(spans.map((span) => [span.name, span.kind])).to.deep.equal([['GET /api/test/session', SERVER_SPAN_KIND]]);
    expect(spans[0]!.attributes).to.include({ 'http.route': '/api/test/session', 'session.id': 'session-esm-00' });
    expect(spans[0]!.service).to.equal('esm-hook-test');
    expect(spans[0]!.serviceVersion).to.equal(version);
  });

  it('produces Express spans with the session on them when the express instrumentation is chosen (the ESM loader hook works)', async () => {
    service = await startServiceProcess({ ...exportEnv(), OTEL_NODE_ENABLED_INSTRUMENTATIONS: EXPRESS_CHOSEN });
    const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-esm-01' } });
    expect(response.status).to.equal(200);
    const traceId = response.headers.get('x-trace-id')!;
    // The server span ends on the response's 'close', the route handler's span right after it:
    // wait for both, and with them every span of the request has arrived.
    const isRouteSpan = (span: SinkSpan): boolean =>
      span.traceId === traceId && span.scope === EXPRESS_SCOPE && span.attributes['http.route'] === '/api/test/session';
    await waitForServerSpans(sink, [traceId]);
    await waitFor('the route handler span of /api/test/session', () => sink.spans.some(isRouteSpan));
    const spans = sink.spans.filter((span) => span.traceId === traceId);
    expect(spans.filter((span) => span.scope === EXPRESS_SCOPE).length).to.be.at.least(2);
    for (const span of spans) expect(span.attributes['session.id'], span.name).to.equal('session-esm-01');
  });

  it('does not trace the health probes /healthz and /readyz', async () => {
    service = await startServiceProcess(exportEnv());
    for (const path of ['/healthz', '/readyz']) expect((await fetch(`${service.url}${path}`)).status).to.equal(200);
    const traced = await fetch(`${service.url}/api/test/session`);
    expect(traced.status).to.equal(200);
    await waitForServerSpans(sink, [traced.headers.get('x-trace-id')!]);
    // Whatever the probes recorded is exported by the time the process has exited.
    await service.stop();
    const routes = new Set(sink.spans.map((span) => span.attributes['http.route']));
    expect(routes.has('/healthz') || routes.has('/readyz')).to.equal(false);
    expect(sink.spans.filter((span) => span.kind === SERVER_SPAN_KIND)).to.have.length(1);
  });

  it('produces no Express spans at all when the loader hook is missing (what the hook is for)', async () => {
    service = await startServiceProcess(
      { ...exportEnv(), OTEL_NODE_ENABLED_INSTRUMENTATIONS: EXPRESS_CHOSEN },
      testServiceCommand('./test/core/support/preload-without-loader-hook.ts'),
    );
    const response = await fetch(`${service.url}/api/test/session`);
    await waitForServerSpans(sink, [response.headers.get('x-trace-id')!]);
    // Whatever else the request recorded is exported by the time the process has exited.
    await service.stop();
    expect(sink.spans.filter((span) => span.scope === EXPRESS_SCOPE)).to.have.length(0);
  });

  it('exports OTLP over http/protobuf by default', async () => {
    service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' });
    expect((await fetch(`${service.url}/api/test/session`)).status).to.equal(200);
    await waitFor('the export of the request\'s spans', () => sink.contentTypes.length > 0);
    expect(sink.contentTypes[0]).to.equal('application/x-protobuf');
  });

  it('serves without exporting anything when OTEL_SDK_DISABLED=true', async () => {
    service = await startServiceProcess({ ...exportEnv(), OTEL_SDK_DISABLED: 'true' });
    const response = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-off-01' } });
    expect(response.status).to.equal(200);
    expect(response.headers.get('x-session-id')).to.equal('session-off-01');
    expect(await service.stop()).to.equal(0);
    expect(sink.contentTypes).to.have.length(0);
    const access = service.logLines().find((line) => line['message'] === 'request completed');
    expect(access).to.include({ 'session.id': 'session-off-01' });
  });
});
