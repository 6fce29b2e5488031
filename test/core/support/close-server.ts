import type { Server } from 'node:http';

/**
 * Closes `server` at once: stops listening and closes its connections, idle or not (a test's
 * keep-alive client would otherwise hold it open); resolves when it has closed.
 */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => {
      if (error) reject(error);
      else resolve();
    });
    server.closeAllConnections();
  });
}
