import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JaegerTrace } from '../../../../tools/session-traces/jaeger/jaeger-answer.ts';

/** What a {@link startCountingJaeger} server saw. */
export interface CountingJaeger {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  /** Most searches (`/api/traces`) received and not yet answered at one moment. */
  maxPending(): number;
  /** Most connections open at one moment. */
  maxConnections(): number;
  /** Searches received. */
  searches(): number;
  close(): Promise<void>;
}

/** The fake Jaeger's services and how it answers. */
export interface CountingJaegerOptions {
  /** How many services `/api/services` lists: `svc-0` … */
  readonly services: number;
  /** How many searches the client under test will send in all. */
  readonly expectedSearches: number;
  /**
   * Searches are held unanswered until this many are pending (or every search still to come
   * is), then all are answered at once: a client that sends this many at once is seen doing
   * so, whatever the timing.
   */
  readonly batch: number;
  /** The traces of one service's answer; default none. */
  readonly traces?: (service: string) => JaegerTrace[];
}

/**
 * A real local HTTP server standing in for a Jaeger that knows many services, counting how
 * many searches and connections it holds at once.
 */
export async function startCountingJaeger(options: CountingJaegerOptions): Promise<CountingJaeger> {
  const services = Array.from({ length: options.services }, (_, index) => `svc-${index}`);
  const held: { response: ServerResponse; service: string }[] = [];
  let searches = 0;
  let answered = 0;
  let maxPending = 0;
  let connections = 0;
  let maxConnections = 0;
  const answer = (response: ServerResponse, body: unknown): void => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://counting-jaeger');
    if (url.pathname === '/api/services') {
      answer(response, { data: services });
      return;
    }
    searches += 1;
    held.push({ response, service: url.searchParams.get('service') ?? '' });
    maxPending = Math.max(maxPending, held.length);
    if (held.length >= Math.min(options.batch, options.expectedSearches - answered)) {
      for (const { response: waiting, service } of held.splice(0)) {
        answered += 1;
        answer(waiting, { data: options.traces?.(service) ?? [] });
      }
    }
  });
  server.on('connection', (socket) => {
    connections += 1;
    maxConnections = Math.max(maxConnections, connections);
    socket.on('close', () => {
      connections -= 1;
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    maxPending: () => maxPending,
    maxConnections: () => maxConnections,
    searches: () => searches,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
