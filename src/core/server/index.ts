/** Running a service: the app's fixed middleware order, health probes, startup and graceful shutdown. */
export { createServiceApp, type ServiceAppDependencies } from './create-service-app.ts';
export { startService, type RoutesFactory, type ServiceContext, type ServiceOptions } from './start-service.ts';
export { addHealthRoutes, type Readiness, type ReadinessTelemetry } from './health-routes.ts';
export { shutDownGracefully, trackResponses, type ResponseTracker, type ShutdownOptions } from './graceful-shutdown.ts';
