import type { Server } from 'node:http';

/** What every variant answers on GET /api/session, so they all serialize the same shape. */
export interface SessionBody {
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly traceId: string | null;
}

/** Closes `server` and its connections on SIGTERM (the runner's stop). */
export function stopOnSigterm(server: Server): void {
  process.once('SIGTERM', () => {
    server.close();
    server.closeAllConnections();
  });
}

/** PORT from the environment (the runner passes a free port). */
export const port = (): number => Number(process.env['PORT'] ?? 0);
