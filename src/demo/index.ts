/**
 * The demo service: login with HMAC-signed tokens, a route that reads the session, one
 * that calls a downstream service, and a page (`GET /`) with browser telemetry that calls them. A new service deletes this folder and its lines in
 * src/main.ts.
 */
export { demoRoutes } from './demo-routes.ts';
export { createDemoPage, demoPage, type DemoPageOptions } from './page/index.ts';
export { readDemoConfig, DEVELOPMENT_TOKEN_SECRET, type DemoConfig, type DownstreamTarget } from './demo-config.ts';
export { createTokenService, InvalidTokenError, type TokenService, type TokenServiceOptions } from './token-service.ts';
export { authenticate } from './authenticate.ts';
export type { SessionView } from './session-handler.ts';
