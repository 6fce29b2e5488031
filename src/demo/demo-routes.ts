import { Router } from 'express';
import type { RoutesFactory } from '../core/index.ts';
import { authenticate } from './authenticate.ts';
import { readDemoConfig } from './demo-config.ts';
import { downstreamRoutes } from './downstream-routes.ts';
import { loginRoutes } from './login-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { createTokenService } from './token-service.ts';

/**
 * The demo's routes, for `startService({ routes: [demoRoutes] })`: `GET /session`,
 * `POST /login` and `GET /downstream`, behind the demo's Bearer-token authentication.
 * Reads the demo's own variables (TOKEN_SECRET, TOKEN_TTL_SECONDS, DOWNSTREAM_URL).
 */
export const demoRoutes: RoutesFactory = ({ env, config, logger }) => {
  const demo = readDemoConfig(env, config.nodeEnv);
  const tokens = createTokenService({ secret: demo.tokenSecret, ttlSeconds: demo.tokenTtlSeconds });
  const router = Router();
  router.use(authenticate(tokens));
  router.use(sessionRoutes(logger), loginRoutes(tokens, demo.tokenTtlSeconds, logger), downstreamRoutes(demo.downstreamUrl, logger));
  return router;
};
