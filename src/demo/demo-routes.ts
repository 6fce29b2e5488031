import { Router } from 'express';
import type { RoutesFactory } from '../core/index.ts';
import { authenticate } from './authenticate.ts';
import { readDemoConfig } from './demo-config.ts';
import { downstreamHandler } from './downstream-handler.ts';
import { loginHandler } from './login-handler.ts';
import { sessionHandler } from './session-handler.ts';
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
  // One router for all three routes: every nested router a request passes through costs it
  // more than the route itself (tools/bench/profile.ts).
  router.get('/session', sessionHandler(logger));
  router.post('/login', loginHandler(tokens, demo.tokenTtlSeconds, logger));
  router.get('/downstream', downstreamHandler(demo.downstreamUrl, logger));
  return router;
};
