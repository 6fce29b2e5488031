import { Agent, createServer, get, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../../../src/core/logging/logger.ts';
import { shutDownGracefully, trackResponses } from '../../../../src/core/server/graceful-shutdown.ts';

/** `promise`, or a rejection naming `what` when it has not settled within `ms`. */
async function within<T>(what: string, promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Timed out after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves once `condition` holds, checking it on every turn of the event loop. */
async function pollUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise(setImmediate);
}

/** A server whose handler holds every response until the test answers it. */
interface HoldingServer {
  readonly server: Server;
  readonly port: number;
  /** Resolves once `count` requests have reached the handler. */
  received(count: number): Promise<void>;
  /** Answers every held response with 200 `done`. */
  answerAll(): void;
}

async function startHoldingServer(): Promise<HoldingServer> {
  const held: ServerResponse[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server = createServer((_req, res) => {
    held.push(res);
    for (const waiter of waiters.filter((candidate) => held.length >= candidate.count)) waiter.resolve();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    received: (count) =>
      held.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    answerAll: () => {
      for (const res of held.splice(0)) res.end('done');
    },
  };
}

/** GET `/` through `agent`; resolves with the response once its body has been read. */
function getThrough(port: number, agent: Agent): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
      response.resume();
      response.once('end', () => {
        resolve(response);
      });
    }).once('error', reject);
  });
}

const quietLogger = (): ReturnType<typeof createLogger> => createLogger({ stream: new PassThrough() });

describe('shutDownGracefully', () => {
  it('turns readiness off before the server stops and telemetry is flushed, and returns 0 when drained', async () => {
    const server = createServer((_req, res) => res.end());
    const responses = trackResponses(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const readiness = { ready: true };
    let readyWhenClosed: boolean | undefined;
    let readyAtTelemetryShutdown: boolean | undefined;
    server.once('close', () => (readyWhenClosed = readiness.ready));
    const code = await shutDownGracefully({
      server, responses, readiness, logger: quietLogger(), timeoutMs: 1000,
      telemetry: { shutdown: () => { readyAtTelemetryShutdown = readiness.ready; return Promise.resolve(); } },
    });
    expect(code).to.equal(0);
    expect(readiness.ready).to.equal(false);
    expect(readyWhenClosed).to.equal(false);
    expect(readyAtTelemetryShutdown).to.equal(false);
  });

  it('returns 1 and cuts the connection when a request outlives the drain window, before telemetry shuts down', async () => {
    const holding = await startHoldingServer();
    const responses = trackResponses(holding.server);
    let responseClosed = false;
    holding.server.once('request', (_req, res: ServerResponse) => res.once('close', () => (responseClosed = true)));
    const hanging = fetch(`http://127.0.0.1:${holding.port}/`).catch((error: unknown) => error);
    await within('the request to reach the handler', holding.received(1));
    let closedAtTelemetryShutdown: boolean | undefined;
    const code = await shutDownGracefully({
      server: holding.server,
      responses,
      readiness: { ready: true },
      logger: quietLogger(),
      timeoutMs: 300,
      telemetry: { shutdown: () => { closedAtTelemetryShutdown = responseClosed; return Promise.resolve(); } },
    });
    expect(code).to.equal(1);
    expect(await hanging).to.be.instanceOf(Error);
    // The cut request's 'close' (its access line, its server span's end) came before the
    // telemetry shut down, which would have dropped them.
    expect(closedAtTelemetryShutdown).to.equal(true);
  });

  it('closes at once the connections with a half-sent request head or nothing sent, returning 0 having waited for none', async () => {
    const server = createServer((_req, res) => res.end('done'));
    const responses = trackResponses(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const opened = async (): Promise<{ client: Socket; serverSide: Socket; closed: Promise<unknown> }> => {
      const accepted = once(server, 'connection') as Promise<[Socket]>;
      const client = connect(port, '127.0.0.1');
      client.on('error', () => undefined);
      const [serverSide] = await within('the server to accept the connection', accepted);
      return { client, serverSide, closed: once(client, 'close') };
    };
    // A browser's preconnect: a connection that has sent nothing yet.
    const silent = await opened();
    const half = await opened();
    // The request line and a header, without the blank line that ends the head.
    const halfHead = 'GET / HTTP/1.1\r\nHost: x\r\n';
    half.client.write(halfHead);
    await within('the server to read the half head', pollUntil(() => half.serverSide.bytesRead === halfHead.length));
    const lines: Record<string, unknown>[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)));
    // The old sweep (Node's closeIdleConnections) left both open until 80% of the budget had
    // passed, then returned 1.
    const code = await shutDownGracefully({
      server, responses, readiness: { ready: true }, logger: createLogger({ stream }), timeoutMs: 10_000,
      telemetry: { shutdown: () => Promise.resolve() },
    });
    expect(code).to.equal(0);
    await within('the clients to see their connections closed', Promise.all([silent.closed, half.closed]));
    const complete = lines.find((line) => line['message'] === 'shutdown complete');
    expect(complete).to.include({ drained: true, connections_waited_for: 0, connections_closed_at_once: 2 });
  });

  it('waits for the request in the app, closing at once the connections without one', async () => {
    const holding = await startHoldingServer();
    const responses = trackResponses(holding.server);
    const agent = new Agent({ keepAlive: true, maxSockets: 2 });
    try {
      // One kept-alive connection whose answer is written (idle), one with a request in the app.
      const idle = getThrough(holding.port, agent);
      await within('the first request to reach the handler', holding.received(1));
      holding.answerAll();
      await idle;
      const held = getThrough(holding.port, agent);
      await within('the held request to reach the handler', holding.received(1));
      const accepted = once(holding.server, 'connection') as Promise<[Socket]>;
      const half = connect(holding.port, '127.0.0.1');
      half.on('error', () => undefined);
      const halfClosed = once(half, 'close');
      const halfHead = 'POST / HTTP/1.1\r\nHost: x\r\n';
      half.write(halfHead);
      const [serverSide] = await accepted;
      await within('the server to read the half head', pollUntil(() => serverSide.bytesRead === halfHead.length));
      let settled = false;
      const exitCode = shutDownGracefully({
        server: holding.server, responses, readiness: { ready: true }, logger: quietLogger(), timeoutMs: 10_000,
        telemetry: { shutdown: () => Promise.resolve() },
      }).finally(() => (settled = true));
      await within('the half-head connection to be closed', halfClosed);
      expect(settled, 'shutdown still waiting for the request in the app').to.equal(false);
      holding.answerAll();
      expect((await within('the held answer', held)).statusCode).to.equal(200);
      expect(await within('the shutdown to drain', exitCode)).to.equal(0);
    } finally {
      agent.destroy();
    }
  });

  it('answers a request in flight with Connection: close when shutdown begins before its answer is written', async () => {
    const holding = await startHoldingServer();
    const responses = trackResponses(holding.server);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const before = getThrough(holding.port, agent);
      await within('the first request to reach the handler', holding.received(1));
      holding.answerAll();
      expect((await before).headers.connection, 'answer written before shutdown').to.equal('keep-alive');

      const inFlight = getThrough(holding.port, agent);
      await within('the second request to reach the handler', holding.received(1));
      const exitCode = shutDownGracefully({
        server: holding.server, responses, readiness: { ready: true }, logger: quietLogger(), timeoutMs: 5000,
        telemetry: { shutdown: () => Promise.resolve() },
      });
      holding.answerAll();
      const answer = await within('the answer of the request in flight', inFlight);
      expect(answer.statusCode).to.equal(200);
      expect(answer.headers.connection, 'answer written after shutdown began').to.equal('close');
      expect(await within('the shutdown to drain', exitCode)).to.equal(0);
    } finally {
      agent.destroy();
    }
  });

  it('answers every request pipelined on a connection, only the last with Connection: close, when shutdown begins before they are answered', async () => {
    const holding = await startHoldingServer();
    const responses = trackResponses(holding.server);
    const socket = connect(holding.port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('GET /first HTTP/1.1\r\nHost: t\r\n\r\nGET /second HTTP/1.1\r\nHost: t\r\n\r\n');
    await within('both pipelined requests to reach the handler', holding.received(2));
    const exitCode = shutDownGracefully({
      server: holding.server, responses, readiness: { ready: true }, logger: quietLogger(), timeoutMs: 5000,
      telemetry: { shutdown: () => Promise.resolve() },
    });
    holding.answerAll();
    await within('the server to close the connection', closed);
    const answers = [...received.matchAll(/HTTP\/1\.1 (\d{3})[\s\S]*?^connection: (\S+)/gim)];
    const connectionHeaders = answers.map((match) => `${match[1]} ${match[2]}`);
    expect(connectionHeaders).to.deep.equal(['200 keep-alive', '200 close']);
    expect(await within('the shutdown to drain', exitCode)).to.equal(0);
  });
});

describe('trackResponses', () => {
  it('answers a request arriving on a kept-alive connection with Connection: close once keep-alive has stopped', async () => {
    const ports: number[] = [];
    const server = createServer((req, res) => {
      ports.push(req.socket.remotePort ?? 0);
      res.end('done');
    });
    const responses = trackResponses(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const port = (server.address() as AddressInfo).port;
      expect((await getThrough(port, agent)).headers.connection).to.equal('keep-alive');
      responses.stopKeepAlive();
      expect((await getThrough(port, agent)).headers.connection).to.equal('close');
      expect(ports[1], 'the second request came on the kept-alive connection').to.equal(ports[0]);
    } finally {
      agent.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});
