import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Express, Request } from 'express';

/** Where {@link nameRoutes} keeps a request's state: on the request itself, under symbols. */
const ROUTE = Symbol('route');
const ROUTE_TEMPLATE = Symbol('routeTemplate');
const BASE_URL = Symbol('baseUrl');
const MOUNTS = Symbol('mounts');

/** A mount level the request entered: the path it matched and the template that matched it. */
interface Mount {
  readonly baseUrl: string;
  readonly template: string;
}

interface RouteRecord {
  [ROUTE]?: unknown;
  [ROUTE_TEMPLATE]?: string | undefined;
  [BASE_URL]?: string;
  [MOUNTS]?: Mount[];
}

/**
 * The template of the layer the router matched last (`/t/:tenant` for
 * `router.use('/t/:tenant', inner)`): router 2.3 keeps it on the request under a symbol of
 * its own, `router.tracing.matchedRoute`, found by its description on the first request.
 */
let matchedPatternKey: symbol | undefined;

/**
 * Names every request by the template of the route that matched it, every mount level
 * included (`/api/t/:tenant/items/:id`), for the access line and the request's server span,
 * without wrapping a single Express layer. A client's path never becomes a route name.
 *
 * Two accessors on the app's request prototype watch what Express's router does anyway:
 * - `req.baseUrl`: each time the router enters a mounted router it extends `baseUrl` by the
 *   part of the path the mount matched; at that moment its own record of the matched
 *   template says which template matched it, and the request keeps the pair. Leaving the
 *   router puts the shorter `baseUrl` back, whose template is known.
 * - `req.route`: set once per matched route; the request keeps the full template, the
 *   mount levels' templates joined with the route's own. Express restores `req.baseUrl` when
 *   an error leaves a router, but not `req.route`, so the error handler's answer of
 *   `POST /api/orders` keeps that name.
 *
 * Under the stock HTTP instrumentation (OTEL_NODE_ENABLED_INSTRUMENTATIONS) the template also
 * goes to the request's RPC metadata, where that instrumentation reads its `http.route`.
 *
 * A route declined with `next('route')` and a 404 leave the request unnamed by a route. A
 * mount level whose template cannot be read (another router version) is named `/*`. Call it
 * once on the app, before any request.
 */
export function nameRoutes(app: Express): void {
  Object.defineProperty(app.request, 'baseUrl', {
    configurable: true,
    enumerable: true,
    get(this: RouteRecord): string {
      return this[BASE_URL] ?? '';
    },
    set(this: RouteRecord, baseUrl: string) {
      const previous = this[BASE_URL] ?? '';
      this[BASE_URL] = baseUrl;
      // Entering a mount: the router extends the path it had by what the mount matched.
      if (baseUrl.length > previous.length && baseUrl.startsWith(previous)) {
        const mount = { baseUrl, template: mountTemplate(this[MOUNTS], previous) + matchedPattern(this) };
        if (this[MOUNTS] === undefined) this[MOUNTS] = [mount];
        else this[MOUNTS].push(mount);
      }
    },
  });
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    enumerable: true,
    get(this: RouteRecord): unknown {
      return this[ROUTE];
    },
    set(this: RouteRecord & { baseUrl: string }, route: unknown) {
      this[ROUTE] = route;
      const template = routePath(route);
      this[ROUTE_TEMPLATE] = template === undefined ? undefined : mountTemplate(this[MOUNTS], this.baseUrl) + template;
      // Only the stock HTTP instrumentation leaves RPC metadata in the request's context.
      const rpcMetadata = getRPCMetadata(context.active());
      if (rpcMetadata?.type !== RPCType.HTTP) return;
      if (this[ROUTE_TEMPLATE] === undefined) delete rpcMetadata.route;
      else rpcMetadata.route = this[ROUTE_TEMPLATE];
    },
  });
}

/** The matched route's full template (`/api/session`), or `undefined` when no route matched. */
export function matchedRouteTemplate(req: Request): string | undefined {
  return (req as unknown as RouteRecord)[ROUTE_TEMPLATE];
}

/** `/api/session` for a matched route; `(unmatched)` for a 404, so raw paths stay out of logs. */
export function matchedRoute(req: Request): string {
  return matchedRouteTemplate(req) ?? UNMATCHED;
}

const UNMATCHED = '(unmatched)';

/** The template of the mount level at `baseUrl`: the latest one entered there. */
function mountTemplate(mounts: readonly Mount[] | undefined, baseUrl: string): string {
  if (baseUrl === '') return '';
  if (mounts !== undefined) {
    // The latest first: a sibling mount left earlier may have matched the same path. An index,
    // not toReversed(): this runs on every mount entered and every route matched.
    for (let i = mounts.length - 1; i >= 0; i--) {
      const mount = mounts[i];
      if (mount?.baseUrl === baseUrl) return mount.template;
    }
  }
  return UNKNOWN_MOUNT;
}

const UNKNOWN_MOUNT = '/*';

/** The template the router matched last, without a trailing slash; `/*` when unreadable. */
function matchedPattern(record: RouteRecord): string {
  matchedPatternKey ??= Object.getOwnPropertySymbols(record).find((key) => key.description === 'router.tracing.matchedRoute');
  const pattern = matchedPatternKey === undefined ? undefined : (record as Record<symbol, unknown>)[matchedPatternKey];
  if (typeof pattern === 'string') return pattern.replace(TRAILING_SLASHES, '');
  // A regular expression is the service's own code, never the client's path.
  if (pattern instanceof RegExp) return pattern.source;
  return UNKNOWN_MOUNT;
}

const TRAILING_SLASHES = /\/+$/;

function routePath(route: unknown): string | undefined {
  if (typeof route === 'object' && route !== null && 'path' in route && typeof route.path === 'string') return route.path;
  return undefined;
}
