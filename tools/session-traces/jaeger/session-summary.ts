import type { ServedRequest, TraceRequests } from './served-requests.ts';

/** The requests one service served in the session. */
export interface ServiceRequests {
  readonly service: string;
  readonly requests: number;
  /** Of those, the ones with an error (status error: a 5xx answer or a connection closed before the answer). */
  readonly errors: number;
}

/** The requests of one route of one service: their count, errors and durations. */
export interface RouteRequests {
  readonly service: string;
  /** The server span's name, e.g. `GET /api/downstream`; `GET` alone for a request no route matched (a 404). */
  readonly operation: string;
  /** `http.route`; `null` when the spans have none. */
  readonly httpRoute: string | null;
  readonly requests: number;
  readonly errors: number;
  /** Median duration, nearest-rank, in milliseconds to 0.1 ms. */
  readonly p50Ms: number;
  /** 99th percentile duration, nearest-rank, in milliseconds to 0.1 ms: the longest when there are fewer than 100 requests. */
  readonly p99Ms: number;
}

/**
 * What a session did, from its own spans (the traces the lookup found): the `summary` of
 * `--json` (its field names are stable, see docs/session-lookup.md). A request is a server
 * span; one from outside (an edge request) has no server span above it in its trace, so a
 * request to api that calls orders is one edge request, and one request served by each.
 */
export interface SessionSummary {
  /** The traces summarized. */
  readonly traces: number;
  /** Requests from outside the services (a browser, curl): server spans with no server span above them. */
  readonly edgeRequests: number;
  /** Of those, the ones with an error. */
  readonly edgeErrors: number;
  /** Every request served, by every service: the edge requests and the calls between services. */
  readonly requests: number;
  /** Of those, the ones with an error. */
  readonly errors: number;
  /** Every service with a span in the traces (served a request or not), sorted. */
  readonly services: readonly string[];
  /** ISO 8601 start of the earliest span. */
  readonly firstStart: string;
  /** ISO 8601 end of the latest span. */
  readonly lastEnd: string;
  /** The requests each service served, by service name. */
  readonly byService: readonly ServiceRequests[];
  /** The requests of each route, by service, operation and route. */
  readonly routes: readonly RouteRequests[];
}

/**
 * The nearest-rank percentile `p` (0 < p ≤ 100) of `sorted` (ascending, not empty): the
 * smallest value with at least p % of the values at or below it, always one of the values.
 * p99 is the largest value while there are fewer than 100 (ceil(0.99 n) = n), the second largest from 100 to 199.
 */
export function nearestRank(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? Number.NaN;
}

/** Microseconds as milliseconds to 0.1 ms, as a trace's `durationMs`. */
const toMs = (us: number): number => Math.round(us / 100) / 10;

/** Orders text as code points, so the order never depends on the locale. */
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sums up a session from what {@link requestsOf} kept of each of its traces.
 * @returns `null` when there are no traces (nothing to sum up).
 */
export function summarizeSession(traces: readonly TraceRequests[]): SessionSummary | null {
  if (traces.length === 0) return null;
  let firstUs = Number.POSITIVE_INFINITY;
  let lastUs = Number.NEGATIVE_INFINITY;
  const services = new Set<string>();
  const byService = new Map<string, { requests: number; errors: number }>();
  const byRoute = new Map<string, { request: ServedRequest; durations: number[]; errors: number }>();
  let edgeRequests = 0;
  let edgeErrors = 0;
  let requests = 0;
  let errors = 0;
  for (const trace of traces) {
    firstUs = Math.min(firstUs, trace.startUs);
    lastUs = Math.max(lastUs, trace.endUs);
    for (const service of trace.services) services.add(service);
    for (const request of trace.requests) {
      requests++;
      if (request.error) errors++;
      if (request.edge) edgeRequests++;
      if (request.edge && request.error) edgeErrors++;
      const service = byService.get(request.service) ?? { requests: 0, errors: 0 };
      service.requests++;
      if (request.error) service.errors++;
      byService.set(request.service, service);
      const key = JSON.stringify([request.service, request.operation, request.httpRoute]);
      const route = byRoute.get(key) ?? { request, durations: [], errors: 0 };
      route.durations.push(request.durationUs);
      if (request.error) route.errors++;
      byRoute.set(key, route);
    }
  }
  const routes = [...byRoute.values()].map(({ request, durations, errors: routeErrors }): RouteRequests => {
    const sorted = durations.sort((a, b) => a - b);
    return {
      service: request.service,
      operation: request.operation,
      httpRoute: request.httpRoute,
      requests: sorted.length,
      errors: routeErrors,
      p50Ms: toMs(nearestRank(sorted, 50)),
      p99Ms: toMs(nearestRank(sorted, 99)),
    };
  });
  routes.sort((a, b) => byText(a.service, b.service) || byText(a.operation, b.operation) || byText(a.httpRoute ?? '', b.httpRoute ?? ''));
  // A trace without spans has no time: it moves neither end (the epoch when no trace has one).
  const iso = (us: number): string => new Date(Number.isFinite(us) ? us / 1000 : 0).toISOString();
  return {
    traces: traces.length,
    edgeRequests,
    edgeErrors,
    requests,
    errors,
    services: [...services].sort(byText),
    firstStart: iso(firstUs),
    lastEnd: iso(lastUs),
    byService: [...byService.entries()].sort(([a], [b]) => byText(a, b)).map(([service, counts]) => ({ service, ...counts })),
    routes,
  };
}
