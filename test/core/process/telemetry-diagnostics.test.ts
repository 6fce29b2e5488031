import { expect } from 'chai';
import { TEST_USER_HEADER } from '../support/fixtures/test-routes.ts';
import { closedPort } from '../support/ports.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

describe('telemetry diagnostics in the log', function () {
  this.timeout(60_000);

  let service: ServiceProcess | undefined;

  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('reports a failed export in one readable sentence, carrying no session or trace of the request that started the exporter', async () => {
    const port = await closedPort();
    service = await startServiceProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    const read = await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-diag-01', [TEST_USER_HEADER]: 'alice' } });
    expect(read.status).to.equal(200);

    const isExportWarning = (line: Record<string, unknown>): boolean =>
      line['component'] === 'opentelemetry' && String(line['message']).startsWith('Telemetry export failed');
    await waitFor('a warning about the failed export', () => service!.logLines().some(isExportWarning), 30_000);
    const warning = service.logLines().find(isExportWarning)!;
    expect(warning).to.include({
      level: 'warn',
      message: `Telemetry export failed: nothing accepts connections at 127.0.0.1:${port} (ECONNREFUSED)`,
    });
    expect(warning).to.not.have.any.keys('session.id', 'user.id', 'trace_id', 'span_id', 'trace_flags', 'details');
    // The request's own lines still carry its session.
    const isAccessLine = (line: Record<string, unknown>): boolean =>
      line['message'] === 'request completed' && line['http.route'] === '/api/test/session';
    await waitFor('the access line of GET /api/test/session', () => service!.logLines().some(isAccessLine));
    expect(service.logLines().find(isAccessLine)).to.include({ 'session.id': 'session-diag-01', 'user.id': 'alice' });
  });

  it('writes start-up and shutdown lines without session or trace fields', async () => {
    service = await startServiceProcess({ OTEL_TRACES_EXPORTER: 'none' });
    await fetch(`${service.url}/api/test/session`, { headers: { 'x-session-id': 'session-diag-02' } });
    expect(await service.stop()).to.equal(0);
    const own = service.logLines().filter((line) => ['listening', 'shutting down', 'shutdown complete'].includes(String(line['message'])));
    expect(own.map((line) => line['message'])).to.deep.equal(['listening', 'shutting down', 'shutdown complete']);
    for (const line of own) expect(line).to.not.have.any.keys('session.id', 'user.id', 'trace_id', 'span_id');
  });
});
