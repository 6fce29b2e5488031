/**
 * Composition root: `npm start` runs it with the core's preload. Pass your own routes here;
 * the example's go when src/example/ does.
 */
import { startService } from './core/index.ts';
import { exampleRoutes } from './example/index.ts';

startService({ routes: [exampleRoutes] });
