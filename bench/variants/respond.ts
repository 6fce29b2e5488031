import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** What every variant answers on GET /api/session, so they all serialize the same shape. */
export interface SessionBody {
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly traceId: string | null;
}

/** Logs the port as the service does (`{"message":"listening","port":N}`); stops on SIGTERM. */
export function announce(server: Server): void {
  server.on('listening', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${JSON.stringify({ message: 'listening', port })}\n`);
  });
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
  });
}

/** PORT from the environment (the runner passes a free port). */
export const port = (): number => Number(process.env['PORT'] ?? 0);
