import { Router } from 'express';
import type { RoutesFactory } from '../core/index.ts';
import { authenticate } from './authenticate.ts';
import { readDemoConfig } from './demo-config.ts';
import { downstreamHandler, warnWhenDownstreamGetsNoBaggage } from './downstream-handler.ts';
import { failureHandler } from './failure-handler.ts';
import { loginHandler } from './login-handler.ts';
import { sessionHandler } from './session-handler.ts';
import { createTokenService } from './token-service.ts';

/**
 * The demo's routes, for `startService({ routes: [demoRoutes] })`: `GET /session`,
 * `POST /login` and `GET /downstream`, each behind the demo's Bearer-token authentication
 * (which the routes of other routers under the same mount path do not get), and `GET /fail`,
 * which fails on purpose (a 500 to find in Jaeger, the logs and the Monitor tab).
 * Reads the demo's own variables (TOKEN_SECRET, TOKEN_TTL_SECONDS, DOWNSTREAM_URL), and warns
 * when DOWNSTREAM_URL's host would get no baggage (BAGGAGE_ALLOWED_HOSTS).
 */
export const demoRoutes: RoutesFactory = ({ env, config, logger }) => {
  const demo = readDemoConfig(env, config.nodeEnv);
  warnWhenDownstreamGetsNoBaggage(demo.downstreamUrl, config.baggageAllowedHosts, logger);
  const tokens = createTokenService({ secret: demo.tokenSecret, ttlSeconds: demo.tokenTtlSeconds });
  const router = Router();
  // On the demo's own routes, not `router.use`: that would authenticate every request under
  // /api, so the routes of the routers mounted after this one would get the demo's user id
  // (and its 401 for a bad token).
  const authenticated = authenticate(tokens);
  // One router for all the routes: every nested router a request passes through costs it
  // more than the route itself (tools/bench/profile.ts).
  router.get('/session', authenticated, sessionHandler(logger));
  router.post('/login', authenticated, loginHandler(tokens, demo.tokenTtlSeconds, logger));
  router.get('/downstream', authenticated, downstreamHandler(demo.downstreamUrl, logger));
  router.get('/fail', failureHandler());
  return router;
};
