import { expect } from 'chai';
import type { ServiceProcess } from '../../core/support/service-process.ts';

/** One request made in a session of its own. */
export interface SingleRequestSession {
  readonly sessionId: string;
  /** From the request's x-trace-id response header. */
  readonly traceId: string;
}

/** How many requests are in flight at once: enough to load the pipeline, few enough for a 2-core machine. */
const CONCURRENCY = 20;

/**
 * `count` requests to `GET /api/session`, each in its own session `<prefix>-00000`,
 * `<prefix>-00001`, … (so every one is found or missed on its own), 20 at a time.
 */
export async function singleRequestSessions(service: ServiceProcess, prefix: string, count: number): Promise<SingleRequestSession[]> {
  const sessions: SingleRequestSession[] = [];
  for (let i = 0; i < count; i += CONCURRENCY) {
    const batch = Array.from({ length: Math.min(CONCURRENCY, count - i) }, async (_, j) => {
      const sessionId = `${prefix}-${String(i + j).padStart(5, '0')}`;
      const response = await fetch(`${service.url}/api/session`, { headers: { 'x-session-id': sessionId } });
      expect(response.status).to.equal(200);
      return { sessionId, traceId: response.headers.get('x-trace-id')! };
    });
    sessions.push(...(await Promise.all(batch)));
  }
  return sessions;
}
