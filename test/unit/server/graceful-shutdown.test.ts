import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../../src/logging/logger.ts';
import { shutDownGracefully } from '../../../src/server/graceful-shutdown.ts';

describe('shutDownGracefully', () => {
  it('turns readiness off before the server stops and telemetry is flushed, and returns 0 when drained', async () => {
    const server = createServer((_req, res) => res.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const readiness = { ready: true };
    let readyWhenClosed: boolean | undefined;
    let readyAtTelemetryShutdown: boolean | undefined;
    server.once('close', () => (readyWhenClosed = readiness.ready));
    const code = await shutDownGracefully({
      server, readiness, logger: createLogger({ stream: new PassThrough() }), timeoutMs: 1000,
      telemetry: { shutdown: () => { readyAtTelemetryShutdown = readiness.ready; return Promise.resolve(); } },
    });
    expect(code).to.equal(0);
    expect(readiness.ready).to.equal(false);
    expect(readyWhenClosed).to.equal(false);
    expect(readyAtTelemetryShutdown).to.equal(false);
  });

  it('returns 1 and cuts the connection when a request outlives the drain window', async () => {
    const server = createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const hanging = fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const code = await shutDownGracefully({
      server,
      readiness: { ready: true },
      logger: createLogger({ stream: new PassThrough() }),
      timeoutMs: 300,
      telemetry: { shutdown: () => Promise.resolve() },
    });
    expect(code).to.equal(1);
    expect(await hanging).to.be.instanceOf(Error);
  });
});
