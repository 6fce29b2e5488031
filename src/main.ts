/**
 * Composition root: `npm start` runs it with the core's preload. A service passes its own
 * routes; the two demo lines go when the demo folder does.
 */
import { startService } from './core/index.ts';
import { demoRoutes } from './demo/index.ts';

startService({ routes: [demoRoutes] });
