import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request; `url` is the request's path and query, parsed. */
export type FakeHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

/** A request the fake server received. */
export interface ReceivedRequest {
  readonly pathname: string;
  readonly searchParams: URLSearchParams;
  readonly authorization: string | undefined;
  /** True once the client closed the connection before the answer was complete. */
  readonly abandoned: () => boolean;
}

/** A local HTTP server standing in for a query API (Jaeger's, VictoriaLogs'), answering what a test tells it to. */
export interface FakeServer {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a fake server on 127.0.0.1, port 0. It exists to give answers the real service cannot
 * be made to give (wrong shapes, HTML, cut-off bodies, no answer at all).
 */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-server');
    let abandoned = false;
    response.on('close', () => {
      if (!response.writableFinished) abandoned = true;
    });
    requests.push({ pathname: url.pathname, searchParams: url.searchParams, authorization: request.headers.authorization, abandoned: () => abandoned });
    handler(request, response, url);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
