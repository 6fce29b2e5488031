import { Router } from 'express';
import { HttpError } from '../http/http-error.ts';
import type { Logger } from '../logging/logger.ts';

/** How long `GET /api/downstream` waits for the downstream service. */
const DOWNSTREAM_TIMEOUT_MS = 5000;

/**
 * `GET /api/downstream`: calls `downstreamUrl` with `fetch` (the instrumentation adds
 * `traceparent`, the session propagator adds `baggage`) and answers
 * `{"status", "downstream": <its JSON body>}`; 502 when the downstream fails or answers
 * something other than JSON.
 */
export function downstreamRoutes(downstreamUrl: URL, logger: Logger): Router {
  const router = Router();
  router.get('/downstream', async (_req, res) => {
    let response: Response;
    let downstream: unknown;
    try {
      response = await fetch(downstreamUrl, { signal: AbortSignal.timeout(DOWNSTREAM_TIMEOUT_MS) });
      downstream = await response.json();
    } catch (error) {
      logger.warn('downstream call failed', { 'error.type': error instanceof Error ? error.name : typeof error });
      throw new HttpError(502, 'bad_gateway', 'The downstream service did not answer with JSON', { cause: error });
    }
    res.json({ status: response.status, downstream });
  });
  return router;
}
