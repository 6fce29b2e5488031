import express, { type Express, type Router } from 'express';
import type { CoreConfig } from '../config/index.ts';
import { sessionContext } from '../context/index.ts';
import { accessLog, errorHandler, nameRoutes, notFound } from '../http/index.ts';
import type { Logger } from '../logging/index.ts';
import type { TelemetryDelivery } from '../telemetry/index.ts';
import { addHealthRoutes, type Readiness } from './health-routes.ts';

/** Everything the app needs, built by {@link startService} or a test. */
export interface ServiceAppDependencies {
  readonly config: Pick<CoreConfig, 'jsonBodyLimit'>;
  readonly logger: Logger;
  readonly readiness: Readiness;
  /** What became of the spans and log records exported so far (shown by `/readyz`). */
  readonly telemetryDelivery: () => Promise<TelemetryDelivery>;
  /** The service's own routers, mounted under {@link mountPath} in this order. Default none. */
  readonly routers?: readonly Router[];
  /** Where the routers are mounted. Default `/api`. */
  readonly mountPath?: string;
}

/**
 * Builds the Express application of a service; never listens.
 *
 * The order is the core's contract: the session context first, so every later middleware,
 * span and log line belongs to the session; then the access log, the JSON body parser, the
 * health probes, the service's routers, a JSON 404 and the JSON error handler.
 */
export function createServiceApp(deps: ServiceAppDependencies): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  nameRoutes(app);

  app.use(sessionContext());
  app.use(accessLog(logger));
  app.use(express.json({ limit: config.jsonBodyLimit }));

  addHealthRoutes(app, deps.readiness, deps.telemetryDelivery);
  for (const router of deps.routers ?? []) app.use(deps.mountPath ?? '/api', router);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
