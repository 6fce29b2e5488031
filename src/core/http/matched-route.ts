import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Express, Request } from 'express';

/** Where {@link nameRoutes} keeps the route and the mount path it was matched under. */
const ROUTE = Symbol('route');
const ROUTE_MOUNT_PATH = Symbol('routeMountPath');

interface RouteRecord {
  baseUrl: string;
  [ROUTE]?: unknown;
  [ROUTE_MOUNT_PATH]?: string;
}

/**
 * Names every request by the route that matched it, for the access line and for the
 * request's server span, without wrapping a single Express layer.
 *
 * Express's router sets `req.route` once per matched route; an accessor on the app's request
 * prototype sees that moment and
 * - remembers the mount path (`req.baseUrl`) it was matched under: Express restores
 *   `req.baseUrl` when an error leaves a router, but not `req.route`, so the error handler's
 *   answer of `POST /api/orders` would otherwise be named `/orders`;
 * - hands the full template (`/api/session`) to the OpenTelemetry HTTP instrumentation
 *   through the request's RPC metadata, which names the server span `GET /api/session` and
 *   sets `http.route` when the response ends. This replaces instrumentation-express, which
 *   wrapped every layer of every request (tools/bench/profile.ts) to learn the same thing.
 *
 * A route declined with `next('route')` and a 404 leave the span unnamed by a route, as the
 * access line says `(unmatched)`. Call it once on the app, before any request.
 */
export function nameRoutes(app: Express): void {
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    get(this: RouteRecord): unknown {
      return this[ROUTE];
    },
    set(this: RouteRecord, route: unknown) {
      this[ROUTE] = route;
      this[ROUTE_MOUNT_PATH] = this.baseUrl;
      // Set in the request's own context: the router runs inside it.
      const rpcMetadata = getRPCMetadata(context.active());
      if (rpcMetadata?.type !== RPCType.HTTP) return;
      const template = routeTemplate(this);
      if (template === undefined) delete rpcMetadata.route;
      else rpcMetadata.route = template;
    },
  });
}

/** `/api/session` for a matched route; `(unmatched)` for a 404, so raw paths stay out of logs. */
export function matchedRoute(req: Request): string {
  return routeTemplate(req) ?? UNMATCHED;
}

const UNMATCHED = '(unmatched)';

function routeTemplate(record: RouteRecord): string | undefined {
  const route = record[ROUTE];
  if (typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string') {
    return `${record[ROUTE_MOUNT_PATH] ?? record.baseUrl}${route.path}`;
  }
  return undefined;
}
