/**
 * The health probe paths: the routes answer them (src/core/server/health-routes.ts) and the
 * server span middleware (`traceRequests`, or the stock HTTP instrumentation when it is
 * chosen) leaves them untraced, both through {@link isHealthProbeRequest}, so that
 * every probe answer is untraced and every other request is traced. The access log leaves
 * out the same requests unless LOG_HEALTH_PROBES is on (`createServiceApp`).
 */
export const HEALTH_PROBE_PATHS = { liveness: '/healthz', readiness: '/readyz' } as const;

/**
 * Whether a request is a health probe: `GET` or `HEAD` of exactly `/healthz` or `/readyz`
 * in origin form (what kubelet, Docker and load balancers send), with or without a query.
 * Exact on purpose: `/healthz/`, `/HEALTHZ`, an absolute-form target or a raw `#` is not a
 * probe, is answered 404 like any unknown path, and is traced. `url` is the raw request
 * target (`IncomingMessage.url`, Express's `req.originalUrl`).
 */
export function isHealthProbeRequest(method: string | undefined, url: string | undefined): boolean {
  if (url === undefined || (method !== 'GET' && method !== 'HEAD')) return false;
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  return path === HEALTH_PROBE_PATHS.liveness || path === HEALTH_PROBE_PATHS.readiness;
}
