import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers one request; `url` is the request's path and query, parsed. */
export type FakeHandler = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

/** A request the fake Jaeger received. */
export interface ReceivedRequest {
  readonly pathname: string;
  readonly authorization: string | undefined;
  /** True once the client closed the connection before the answer was complete. */
  readonly abandoned: () => boolean;
}

/** A local HTTP server standing in for Jaeger's query API, answering what a test tells it to. */
export interface FakeJaeger {
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly requests: readonly ReceivedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a fake Jaeger on 127.0.0.1, port 0. It exists to give answers the real Jaeger cannot
 * be made to give (wrong shapes, HTML, cut-off bodies, no answer at all).
 */
export async function startFakeJaeger(handler: FakeHandler): Promise<FakeJaeger> {
  const requests: ReceivedRequest[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-jaeger');
    let abandoned = false;
    response.on('close', () => {
      if (!response.writableFinished) abandoned = true;
    });
    requests.push({ pathname: url.pathname, authorization: request.headers.authorization, abandoned: () => abandoned });
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

/** Sends `body` as Jaeger does: 200, application/json. */
export function answerJson(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A fake Jaeger handler: `{"data": [...services]}` for `/api/services`, `traces(url)` for `/api/traces`. */
export function jaegerApi(services: readonly string[], traces: (url: URL) => unknown, prefix = ''): FakeHandler {
  return (_request, response, url) => {
    if (url.pathname === `${prefix}/api/services`) answerJson(response, { data: services });
    else if (url.pathname === `${prefix}/api/traces`) answerJson(response, { data: traces(url) });
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
  };
}
