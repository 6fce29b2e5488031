import { once } from 'node:events';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../logging/index.ts';
import type { Readiness } from './health-routes.ts';
import type { Telemetry } from '../telemetry/index.ts';

/** The answers of a server not yet finished; see {@link trackResponses}. */
export interface ResponseTracker {
  /**
   * From now on no connection is kept alive: of the unfinished responses, the last one of
   * each connection says `Connection: close` when its head is not written yet, as does the
   * response to every request arriving later; Node closes a connection once such a response
   * is written. Idempotent.
   */
  stopKeepAlive(): void;
  /**
   * Destroys every connection with no request in the app: none has arrived on it, its last
   * answer is written, or the head of its next request is still arriving (Node's
   * `closeIdleConnections()` leaves such a connection open until its headers timeout, 60 s).
   * A request is in the app from the server's 'request' event until its answer is written.
   * @returns how many connections it closed, and how many it left open for a request in the app
   */
  closeConnectionsOutsideApp(): { readonly closed: number; readonly inApp: number };
}

/** Where a connection keeps the response to the last request that arrived on it. */
const LAST_RESPONSE = Symbol('lastResponse');

type TrackedSocket = Socket & { [LAST_RESPONSE]?: ServerResponse };

/**
 * Tracks the connections of `server` and the last response of each, so that shutdown can
 * decide `Connection: close` when each answer is written rather than when its request
 * arrived, and close at once the connections that hold no request in the app. Call it right
 * after creating the server, before it takes connections.
 *
 * Per request it costs one property write on the connection's socket; per connection, a set
 * insertion and a 'close' listener. (Keeping every unfinished response in a set instead, each
 * removed on its 'close', cost a quarter of the service's throughput: tools/bench/.) Responses
 * on one connection finish in order, so the connection holds a request in the app exactly
 * when its last response is unfinished.
 */
export function trackResponses(server: Server): ResponseTracker {
  const sockets = new Set<TrackedSocket>();
  let keepAlive = true;
  server.on('connection', (socket: TrackedSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // Prepended: the app may write the whole answer synchronously in its own listener.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket: TrackedSocket = req.socket;
    socket[LAST_RESPONSE] = res;
    if (!keepAlive) res.shouldKeepAlive = false;
  });
  return {
    stopKeepAlive() {
      if (!keepAlive) return;
      keepAlive = false;
      // Only the last response of a connection: Node closes the connection after a response
      // that says `close`, and requests pipelined behind it would go unanswered. One already
      // written needs nothing: its connection is idle or about to be, and closed as such.
      for (const socket of sockets) {
        const res = socket[LAST_RESPONSE];
        if (res !== undefined && !res.headersSent) res.shouldKeepAlive = false;
      }
    },
    closeConnectionsOutsideApp() {
      let closed = 0;
      let inApp = 0;
      for (const socket of sockets) {
        if (socket.destroyed) continue;
        const res = socket[LAST_RESPONSE];
        if (res !== undefined && !res.writableFinished) {
          inApp++;
        } else {
          socket.destroy();
          closed++;
        }
      }
      return { closed, inApp };
    },
  };
}

/** Options of {@link shutDownGracefully}. */
export interface ShutdownOptions {
  readonly server: Server;
  /** The server's {@link trackResponses}: answers written from now on close their connection. */
  readonly responses: ResponseTracker;
  readonly readiness: Readiness;
  readonly telemetry: Pick<Telemetry, 'shutdown'>;
  readonly logger: Logger;
  /** Upper bound for the whole shutdown, requests and telemetry flush together. */
  readonly timeoutMs: number;
}

/**
 * Stops the service: readiness off, no new connections, the connections with no request in
 * the app closed at once, in-flight requests finish, then telemetry is flushed. Bounded by
 * `timeoutMs`; requests still running at the deadline are cut off.
 * @returns the exit code: 0 when every request finished in time, 1 otherwise.
 */
export async function shutDownGracefully(options: ShutdownOptions): Promise<number> {
  const { server, logger } = options;
  const deadline = Date.now() + options.timeoutMs;
  options.readiness.ready = false;
  const { responses } = options;
  responses.stopKeepAlive();
  // Before close(), which closes only what Node counts as idle: a connection whose next
  // request head is half sent would hold the shutdown until its headers timeout.
  const atStart = responses.closeConnectionsOutsideApp();

  const closed = once(server, 'close').then(() => true);
  server.close();
  // Connections whose request is still running leave the app later: a kept-alive one (its
  // answer's head was written before shutdown began) would then hold the server open until
  // the client lets go.
  const sweeper = setInterval(() => {
    responses.closeConnectionsOutsideApp();
  }, 50);
  // Leave a share of the budget for the telemetry flush.
  const drained = await Promise.race([closed, sleep(options.timeoutMs * 0.8).then(() => false)]);
  clearInterval(sweeper);
  if (!drained) {
    logger.warn('shutdown deadline reached with requests still running; closing their connections');
    server.closeAllConnections();
    // The cut connections emit 'close' from the event loop's close phase, after this
    // iteration's immediates: wait into the next iteration, so that their requests' access
    // lines and server spans (ended on 'close') reach the telemetry before it shuts down.
    await new Promise(setImmediate);
    await new Promise(setImmediate);
  }
  await options.telemetry.shutdown(Math.max(deadline - Date.now(), 100));
  // After the telemetry shut down: this last line goes to stdout only.
  logger.info('shutdown complete', {
    drained,
    connections_waited_for: atStart.inApp,
    connections_closed_at_once: atStart.closed,
  });
  return drained ? 0 : 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
