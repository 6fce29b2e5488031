/** The demo service's routes, one file per group. */
export { healthRoutes, type Readiness } from './health-routes.ts';
export { sessionRoutes, type SessionView } from './session-routes.ts';
export { loginRoutes } from './login-routes.ts';
export { downstreamRoutes } from './downstream-routes.ts';
