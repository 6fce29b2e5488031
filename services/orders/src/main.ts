/**
 * Composition root of the orders service: `npm start` runs it with the core's preload.
 */
import { startService } from './core/index.ts';
import { ordersRoutes } from './orders/index.ts';

startService({ routes: [ordersRoutes] });
