import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { expect } from 'chai';
import { startOtlpSink, type OtlpSink } from '../support/otlp-sink.ts';
import { closedPort, refusesConnections } from '../support/ports.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

/**
 * A downstream that answers only after `delayMs`, so the request in flight is slow; without
 * `delayMs`, only when the test calls `release()`, so the request is in flight for certain
 * until then.
 */
async function startSlowDownstream(
  delayMs?: number,
): Promise<{ url: string; received: () => number; release: () => void; server: Server }> {
  let received = 0;
  const held: (() => void)[] = [];
  const server = createServer((_req, res) => {
    received++;
    const answer = (): void => {
      res.setHeader('content-type', 'application/json');
      res.end('{"slow":true}');
    };
    if (delayMs === undefined) held.push(answer);
    else setTimeout(answer, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = (): void => {
    for (const answer of held.splice(0)) answer();
  };
  return { url: `http://127.0.0.1:${port}/`, received: () => received, release, server };
}

describe('graceful shutdown', () => {
  let sink: OtlpSink;
  let service: ServiceProcess | undefined;

  beforeEach(async () => {
    sink = await startOtlpSink();
  });

  afterEach(async () => {
    await service?.stop('SIGKILL');
    await sink.close();
  });

  it('on SIGTERM completes the slow request in flight, refuses new connections, exports its spans and exits 0', async () => {
    const downstream = await startSlowDownstream();
    try {
      service = await startServiceProcess({
        TEST_DOWNSTREAM_URL: downstream.url,
        // Below the client's 5 s keep-alive: shutdown must close the connection itself.
        SHUTDOWN_TIMEOUT_MS: '4000',
        OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      });
      const inFlight = fetch(`${service.url}/api/test/call`, { headers: { 'x-session-id': 'session-term-01' } });
      await waitFor('the downstream call', () => downstream.received() === 1);
      const exitCode = service.stop('SIGTERM');

      // The downstream holds its answer until released: whatever happens now happens with the
      // request in flight. The listener closes once the signal is handled.
      const port = Number(new URL(service.url).port);
      await waitFor('new connections to be refused after SIGTERM, with the request in flight', () => refusesConnections(port));
      expect(service.child.exitCode, 'still running: the request in flight holds it').to.equal(null);
      downstream.release();

      const response = await inFlight;
      expect(response.status).to.equal(200);
      expect(await response.json()).to.deep.equal({ status: 200, downstream: { slow: true } });
      expect(await exitCode).to.equal(0);
      const complete = service.logLines().find((line) => line['message'] === 'shutdown complete');
      expect(complete).to.include({ drained: true, connections_waited_for: 1 });

      const traceId = response.headers.get('x-trace-id');
      const spans = sink.spans.filter((span) => span.traceId === traceId);
      expect(spans.map((span) => `${span.kind} ${span.name}`)).to.include('2 GET /api/test/call');
      expect(spans.some((span) => span.kind === 3), 'the outgoing client span').to.equal(true);
      for (const span of spans) expect(span.attributes['session.id']).to.equal('session-term-01');
    } finally {
      downstream.server.closeAllConnections();
      downstream.server.close();
    }
  });

  it('on SIGTERM closes at once the connections with a half-sent request head or nothing sent and exits 0, waiting for none', async () => {
    service = await startServiceProcess({
      SHUTDOWN_TIMEOUT_MS: '10000',
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    const port = Number(new URL(service.url).port);
    // A browser's preconnect: a connection that sends nothing.
    const silent = connect(port, '127.0.0.1');
    silent.on('error', () => undefined);
    const silentClosed = once(silent, 'close');
    await once(silent, 'connect');
    const half = connect(port, '127.0.0.1');
    half.on('error', () => undefined);
    const halfClosed = once(half, 'close');
    // The request line and a header, without the blank line that ends the head: no request
    // reaches the app. Node's closeIdleConnections() counts this connection as busy.
    await new Promise<void>((resolve) => {
      half.write('GET /api/test/session HTTP/1.1\r\nHost: x\r\n', () => {
        resolve();
      });
    });
    // A round trip on another connection after the half head was sent: the service has
    // accepted both connections and read the half head by the time it answers (loopback; they
    // were ready before this request was sent).
    expect((await fetch(`${service.url}/healthz`)).status).to.equal(200);

    expect(await service.stop('SIGTERM')).to.equal(0);
    await Promise.all([silentClosed, halfClosed]);
    const complete = service.logLines().find((line) => line['message'] === 'shutdown complete');
    expect(complete).to.include({ drained: true, connections_waited_for: 0 });
    // The two, and the round trip's unless the client has let its kept-alive connection go.
    expect(complete?.['connections_closed_at_once']).to.be.at.least(2);
  });

  it('answers the request in flight at SIGTERM with Connection: close when its answer is written after the signal', async () => {
    const downstream = await startSlowDownstream();
    try {
      service = await startServiceProcess({ TEST_DOWNSTREAM_URL: downstream.url, OTEL_TRACES_EXPORTER: 'none' });
      const running = service;
      // A first answer on the same kept-alive connection, written before the signal: the control.
      const before = await fetch(`${running.url}/api/test/session`);
      expect(before.headers.get('connection')).to.equal('keep-alive');
      await before.arrayBuffer();

      const inFlight = fetch(`${running.url}/api/test/call`);
      await waitFor('the downstream call', () => downstream.received() === 1);
      const exitCode = running.stop('SIGTERM');
      // Logged in the signal handler, in the same turn as shutdown stops keep-alive.
      await waitFor('the "shutting down" log line', () => running.logLines().some((line) => line['message'] === 'shutting down'));
      downstream.release();

      const response = await inFlight;
      expect(response.status).to.equal(200);
      expect(response.headers.get('connection'), 'the answer written after SIGTERM').to.equal('close');
      await response.arrayBuffer();
      expect(await exitCode).to.equal(0);
    } finally {
      downstream.server.closeAllConnections();
      downstream.server.close();
    }
  });

  it('exits 0 on SIGTERM when no collector is listening, logging the export failure as a warning', async () => {
    service = await startServiceProcess({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}`,
      SHUTDOWN_TIMEOUT_MS: '3000',
    });
    for (let i = 0; i < 5; i++) expect((await fetch(`${service.url}/api/test/session`)).status).to.equal(200);
    expect(await service.stop('SIGTERM')).to.equal(0);
    const telemetryLines = service.logLines().filter((line) => line['component'] === 'opentelemetry');
    expect(telemetryLines.length).to.be.at.least(1);
    for (const line of telemetryLines) expect(['warn', 'error']).to.include(line['level']);
    expect(service.stderr()).to.equal('');
  });

  it('exits 1 before listening when the configuration is invalid, listing every problem', async () => {
    let failure: unknown;
    try {
      service = await startServiceProcess({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      failure = error;
    }
    expect(String(failure)).to.include('exited with 1').and.include('PORT must be').and.include('LOG_LEVEL must be');
  });
});
