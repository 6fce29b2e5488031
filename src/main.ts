/**
 * Composition root: `npm start` runs it with the core's preload. A service passes its own
 * routes; the demo's lines go when the demo folder does (a service without a web front-end
 * drops `pages` and `browserTelemetry` too).
 */
import { startService } from './core/index.ts';
import { demoPage, demoRoutes } from './demo/index.ts';

// The page's browser telemetry reaches the collector through this service (POST /otlp/v1/*).
startService({ routes: [demoRoutes], pages: [demoPage], browserTelemetry: true });
