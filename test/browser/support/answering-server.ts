import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from '../../core/support/close-server.ts';

/** What {@link AnsweringServer.answerSessionId} holds to answer the request's own baggage session. */
export const ECHO_SESSION = Symbol('the session.id of the request\'s baggage');

/** A local HTTP server that records each request's headers and answers 200 `{}`. */
export interface AnsweringServer {
  readonly origin: string;
  /** Headers of the requests received so far, in order. */
  readonly received: IncomingHttpHeaders[];
  /**
   * What the next answers carry in `x-session-id`: a fixed id, {@link ECHO_SESSION} (the
   * `session.id` of the request's baggage, as the edge keeps a session; the default), or
   * nothing (`undefined`).
   */
  answerSessionId: string | typeof ECHO_SESSION | undefined;
  close(): Promise<void>;
}

/** Starts an {@link AnsweringServer} on 127.0.0.1 and a free port. */
export async function startAnsweringServer(): Promise<AnsweringServer> {
  const server = createServer((req, res) => {
    answering.received.push(req.headers);
    const wanted = answering.answerSessionId;
    const answer = wanted === ECHO_SESSION ? /session\.id=([^,;]+)/.exec(String(req.headers.baggage ?? ''))?.[1] : wanted;
    if (answer !== undefined) res.setHeader('x-session-id', answer);
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const answering: AnsweringServer = {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: [],
    answerSessionId: ECHO_SESSION,
    close: () => closeServer(server),
  };
  return answering;
}
