import express, { Router, type Express, type Request, type RequestHandler } from 'express';
import type { CoreConfig } from '../config/index.ts';
import { sessionContext } from '../context/index.ts';
import { accessLog, errorHandler, nameRoutes, notFound } from '../http/index.ts';
import type { Logger } from '../logging/index.ts';
import type { BrowserTelemetryRelay } from '../otlp-relay/index.ts';
import { isHealthProbeRequest, registeredTelemetry, traceRequests, type TelemetryDelivery } from '../telemetry/index.ts';
import { addHealthRoutes, type Readiness, type ReadinessTelemetry } from './health-routes.ts';

/** Everything the app needs, built by {@link startService} or a test. */
export interface ServiceAppDependencies {
  readonly config: Pick<CoreConfig, 'jsonBodyLimit' | 'logHealthProbes'>;
  readonly logger: Logger;
  readonly readiness: Readiness;
  /** What became of the spans and log records exported so far (shown by `/readyz`). */
  readonly telemetryDelivery: () => Promise<TelemetryDelivery>;
  /** The service's own routers, mounted under {@link mountPath} in this order. Default none. */
  readonly routers?: readonly Router[];
  /** Where the routers are mounted. Default `/api`. */
  readonly mountPath?: string;
  /**
   * Routers of a web front-end (its page and assets), mounted at `/` in this order, after the
   * health probes and before the {@link routers}. Requests under {@link mountPath} pass them
   * by, so a page router's catch-all never shadows the API. Default none.
   */
  readonly pages?: readonly Router[];
  /**
   * The browser telemetry relay (`createBrowserTelemetryRelay`), mounted first; its counters
   * join `/readyz` as `telemetry.browserRelay`. Default none: `POST /otlp/v1/*` answers 404.
   */
  readonly browserTelemetryRelay?: BrowserTelemetryRelay;
  /**
   * Make each request's server span (`traceRequests`, the first middleware after the relay).
   * Default: what the registered telemetry says (`tracesRequests`): on when the SDK runs,
   * off when it is disabled or when auto-instrumentations-node makes the span.
   */
  readonly traceRequests?: boolean;
}

/**
 * Builds the Express application of a service; never listens.
 *
 * The order is the core's contract: the browser telemetry relay when there is one (untraced,
 * outside any session, its body read by itself, bounded); then the request's server span and
 * its context (when the core traces requests); then the session context, so every
 * later middleware, span and log line belongs to the session; then the access log (which
 * leaves out the health probes unless `config.logHealthProbes`), the JSON
 * body parser, the health probes, the pages, the service's routers, a JSON 404 and the JSON
 * error handler.
 */
export function createServiceApp(deps: ServiceAppDependencies): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  nameRoutes(app);

  const relay = deps.browserTelemetryRelay;
  if (relay !== undefined) app.use(relay.handler);
  if (deps.traceRequests ?? registeredTelemetry().tracesRequests) app.use(traceRequests());
  app.use(sessionContext());
  app.use(config.logHealthProbes ? accessLog(logger) : accessLog(logger, { skip: isProbe }));
  app.use(express.json({ limit: config.jsonBodyLimit }));

  const mountPath = deps.mountPath ?? '/api';
  const telemetry: () => Promise<ReadinessTelemetry> =
    relay === undefined ? deps.telemetryDelivery : async () => ({ ...(await deps.telemetryDelivery()), browserRelay: relay.counts() });
  addHealthRoutes(app, deps.readiness, telemetry);
  if (deps.pages !== undefined && deps.pages.length > 0) app.use(pagesRouter(deps.pages, mountPath));
  for (const router of deps.routers ?? []) app.use(mountPath, router);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/** The requests the health routes answer (the same rule that leaves them untraced). */
function isProbe(req: Request): boolean {
  return isHealthProbeRequest(req.method, req.originalUrl);
}

/**
 * One router holding the pages, which a request under `mountPath` leaves at once
 * (`next('router')`): a page router's catch-all (a single-page app's fallback, a static
 * folder) cannot answer the API's paths. Matched as Express matches mount paths: in any
 * letter case, the path itself or anything below it.
 */
function pagesRouter(pages: readonly Router[], mountPath: string): Router {
  const below = mountPath.replace(/\/+$/, '').toLowerCase();
  const router = Router();
  // With the API at `/` every path is the API's, and the pages come first as given.
  if (below !== '') {
    const leaveApiPaths: RequestHandler = (req, _res, next) => {
      const path = req.path.toLowerCase();
      next(path === below || path.startsWith(`${below}/`) ? 'router' : undefined);
    };
    router.use(leaveApiPaths);
  }
  for (const page of pages) router.use(page);
  return router;
}
