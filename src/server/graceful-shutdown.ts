import { once } from 'node:events';
import type { Server } from 'node:http';
import type { Logger } from '../logging/logger.ts';
import type { Readiness } from '../routes/health-routes.ts';
import type { Telemetry } from '../telemetry/start-telemetry.ts';

/** Options of {@link shutDownGracefully}. */
export interface ShutdownOptions {
  readonly server: Server;
  readonly readiness: Readiness;
  readonly telemetry: Pick<Telemetry, 'shutdown'>;
  readonly logger: Logger;
  /** Upper bound for the whole shutdown, requests and telemetry flush together. */
  readonly timeoutMs: number;
}

/**
 * Stops the service: readiness off, no new connections, in-flight requests finish, then
 * telemetry is flushed. Bounded by `timeoutMs`; requests still running at the deadline are
 * cut off.
 * @returns the exit code: 0 when every request finished in time, 1 otherwise.
 */
export async function shutDownGracefully(options: ShutdownOptions): Promise<number> {
  const { server, logger } = options;
  const deadline = Date.now() + options.timeoutMs;
  options.readiness.ready = false;

  const closed = once(server, 'close').then(() => true);
  server.close();
  // close() closes the connections idle now; keep-alive connections whose request is still
  // running become idle later and would hold the server open until the client lets go.
  const idleSweeper = setInterval(() => {
    server.closeIdleConnections();
  }, 50);
  // Leave a share of the budget for the telemetry flush.
  const drained = await Promise.race([closed, sleep(options.timeoutMs * 0.8).then(() => false)]);
  clearInterval(idleSweeper);
  if (!drained) {
    logger.warn('shutdown deadline reached with requests still running; closing their connections');
    server.closeAllConnections();
  }
  await options.telemetry.shutdown(Math.max(deadline - Date.now(), 100));
  logger.info('shutdown complete', { drained });
  return drained ? 0 : 1;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
