import type { Express, RequestHandler } from 'express';
import type { BrowserRelayCounts } from '../otlp-relay/index.ts';
import { HEALTH_PROBE_PATHS, isHealthProbeRequest, type TelemetryDelivery } from '../telemetry/index.ts';

/** Whether the service takes new work; graceful shutdown turns it off first. */
export interface Readiness {
  ready: boolean;
}

/** What `/readyz` says of the telemetry: the delivery counters, and the relay's when it is on. */
export type ReadinessTelemetry = TelemetryDelivery & { readonly browserRelay?: BrowserRelayCounts };

/**
 * Express also routes targets the instrumentation traces (an absolute-form target, a raw
 * `#`): those fall through to the 404, so no probe answer is ever traced.
 */
const onlyUntracedProbes: RequestHandler = (req, _res, next) => {
  if (isHealthProbeRequest(req.method, req.originalUrl)) {
    next();
    return;
  }
  // Declined: unmatched like any unknown path, also in the access line's `http.route`.
  req.route = undefined;
  next('route');
};

/**
 * Adds the health probes to `app`:
 * `GET /healthz`: liveness, 200 while the process serves HTTP.
 * `GET /readyz`: readiness, 200 `{"status":"ready"}` or 503 `{"status":"shutting_down"}`,
 * with the delivery counters of spans and log records (`telemetry.spans`,
 * `telemetry.logRecords`, and `telemetry.browserRelay` when the browser telemetry relay is
 * on), so lost telemetry is visible from outside.
 * Both are exact (case-sensitive, no trailing slash) and untraced: a request answered here is
 * one the server span middleware (`traceRequests`) skips, as both decide by {@link isHealthProbeRequest}.
 * By the same rule they write no access line unless LOG_HEALTH_PROBES is on (`createServiceApp`).
 *
 * Routes of the app itself, not a router of their own: every other request passes them, and
 * a nested router costs each request that passes through it more than two route checks.
 */
export function addHealthRoutes(app: Express, readiness: Readiness, telemetryDelivery: () => Promise<ReadinessTelemetry>): void {
  app.get(HEALTH_PROBE_PATHS.liveness, onlyUntracedProbes, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(HEALTH_PROBE_PATHS.readiness, onlyUntracedProbes, async (_req, res) => {
    const telemetry = await telemetryDelivery();
    res.status(readiness.ready ? 200 : 503).json({ status: readiness.ready ? 'ready' : 'shutting_down', telemetry });
  });
}
