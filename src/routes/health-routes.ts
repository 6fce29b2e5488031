import { Router } from 'express';
import type { SpanDelivery } from '../telemetry/span-loss-monitor.ts';

/** Whether the service takes new work; graceful shutdown turns it off first. */
export interface Readiness {
  ready: boolean;
}

/**
 * `GET /healthz`: liveness, 200 while the process serves HTTP.
 * `GET /readyz`: readiness, 200 `{"status":"ready"}` or 503 `{"status":"shutting_down"}`,
 * with the span delivery counters, so lost telemetry is visible from outside.
 */
export function healthRoutes(readiness: Readiness, spanDelivery: () => Promise<SpanDelivery>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const telemetry = await spanDelivery();
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'shutting_down', telemetry });
  });
  return router;
}
