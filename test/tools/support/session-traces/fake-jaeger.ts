import type { ServerResponse } from 'node:http';
import type { FakeHandler } from './fake-server.ts';

export { startFakeServer as startFakeJaeger, type FakeServer as FakeJaeger, type FakeHandler, type ReceivedRequest } from './fake-server.ts';

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
