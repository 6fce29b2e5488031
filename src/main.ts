/**
 * Composition root of the demo service: `npm start` runs it with the telemetry preload.
 * A service of your own passes its routers: `startService({ routers: [ordersRoutes()] })`.
 */
import { startService } from './server/start-service.ts';

startService();
