import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { closedPort } from '../support/ports.ts';
import { startServiceProcess, waitFor, type ServiceProcess } from '../support/service-process.ts';

/** The bound for a Ctrl-C (or a restart's stop) when no collector answers. */
const STOP_BOUND_MS = 1000;

describe('shutdown without a collector', () => {
  let service: ServiceProcess | undefined;
  let downstream: Server | undefined;

  afterEach(async () => {
    await service?.stop('SIGKILL');
    service = undefined;
    downstream?.closeAllConnections();
    downstream?.close();
    downstream = undefined;
  });

  it('exits 0 within a second of SIGINT, naming what it left unexported, when nothing accepts connections at the OTLP endpoint', async () => {
    service = await startServiceProcess({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${await closedPort()}` });
    for (let i = 0; i < 3; i++) expect((await fetch(`${service.url}/api/test/session`)).status).to.equal(200);
    const started = performance.now();
    const code = await service.stop('SIGINT');
    const elapsed = performance.now() - started;
    expect(code).to.equal(0);
    expect(elapsed, `SIGINT to exit took ${Math.round(elapsed)} ms`).to.be.below(STOP_BOUND_MS);
    const gaveUp = service.logLines().find((line) => String(line['message']).startsWith('Telemetry shutdown did not wait'));
    expect(gaveUp?.['message']).to.match(/nothing accepts connections at http:\/\/127\.0\.0\.1:\d+\/v1\/traces, .*; \d+ spans and \d+ log records not exported are lost$/);
  });

  it('exits at once with 130 on a second SIGINT while the first shutdown waits for a request', async () => {
    let received = 0;
    downstream = createServer(() => {
      received++; // never answered: the request stays in flight
    });
    await new Promise<void>((resolve) => downstream!.listen(0, '127.0.0.1', resolve));
    const { port } = downstream.address() as AddressInfo;
    service = await startServiceProcess({
      TEST_DOWNSTREAM_URL: `http://127.0.0.1:${port}/`,
      SHUTDOWN_TIMEOUT_MS: '30000',
      OTEL_SDK_DISABLED: 'true',
    });
    const running = service;
    const inFlight = fetch(`${running.url}/api/test/call`).catch(() => undefined);
    await waitFor('the downstream call', () => received === 1);
    running.child.kill('SIGINT');
    await waitFor('the "shutting down" line', () => running.logLines().some((line) => line['message'] === 'shutting down'));
    // Past the window in which a repeated signal counts as the same one (a terminal's Ctrl-C
    // reaches both node --watch and the service): this one is a person's second Ctrl-C.
    await sleep(400);
    expect(running.child.exitCode, 'still waiting for the request').to.equal(null);
    const started = performance.now();
    const code = await running.stop('SIGINT');
    const elapsed = performance.now() - started;
    expect(code).to.equal(130);
    expect(elapsed, `second SIGINT to exit took ${Math.round(elapsed)} ms`).to.be.below(STOP_BOUND_MS);
    expect(running.logLines().some((line) => String(line['message']).startsWith('exiting at once on a second signal'))).to.equal(true);
    await inFlight;
  });
});
