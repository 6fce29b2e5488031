import express, { type Express, type Router } from 'express';
import { authenticate } from './auth/authenticate.ts';
import type { TokenService } from './auth/token-service.ts';
import type { Config } from './config.ts';
import { sessionContext } from './context/session-middleware.ts';
import { errorHandler, notFound } from './http/error-handler.ts';
import { accessLog, nameRoutesWithMountPath } from './logging/access-log.ts';
import type { Logger } from './logging/logger.ts';
import { downstreamRoutes } from './routes/downstream-routes.ts';
import { healthRoutes, type Readiness } from './routes/health-routes.ts';
import { loginRoutes } from './routes/login-routes.ts';
import { sessionRoutes } from './routes/session-routes.ts';
import type { SpanDelivery } from './telemetry/span-loss-monitor.ts';

/** Everything the app needs, built by the composition root (src/main.ts) or a test. */
export interface AppDependencies {
  readonly config: Pick<
    Config,
    'downstreamUrl' | 'jsonBodyLimit' | 'tokenTtlSeconds'
  >;
  readonly logger: Logger;
  readonly tokens: TokenService;
  readonly readiness: Readiness;
  readonly spanDelivery: () => Promise<SpanDelivery>;
  /** Your service's routers, mounted under `/api` after the demo routes. Default none. */
  readonly routers?: readonly Router[];
}

/**
 * Builds the Express application; never listens. The order matters: the session context
 * comes first so every later middleware, span and log line belongs to the session.
 */
export function createApp(deps: AppDependencies): Express {
  const { config, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  nameRoutesWithMountPath(app);

  app.use(sessionContext());
  app.use(accessLog(logger));
  app.use(express.json({ limit: config.jsonBodyLimit }));
  app.use(authenticate(deps.tokens));

  app.use(healthRoutes(deps.readiness, deps.spanDelivery));
  app.use('/api', sessionRoutes(logger));
  app.use('/api', loginRoutes(deps.tokens, config.tokenTtlSeconds, logger));
  app.use('/api', downstreamRoutes(config.downstreamUrl, logger));
  for (const router of deps.routers ?? []) app.use('/api', router);

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}
