import type { Request, RequestHandler } from 'express';
import type { DownstreamTarget } from './demo-config.ts';
import { HttpError, type Logger } from '../core/index.ts';

/** How long `GET /api/downstream` waits for the downstream service. */
const DOWNSTREAM_TIMEOUT_MS = 5000;

/**
 * `GET /api/downstream`: calls `downstream` with `fetch` (the instrumentation adds
 * `traceparent`, the session propagator adds `baggage`) and answers
 * `{"status", "downstream": <its JSON body>}`; 502 when the downstream fails or answers
 * something other than JSON.
 *
 * `'self'` calls this service's own `/api/session` at `127.0.0.1` and the port the request
 * arrived on: the port actually listened on, also with PORT=0. (`127.0.0.1` is on the
 * default BAGGAGE_ALLOWED_HOSTS, so the call carries the session; a service bound to an IPv6
 * address only needs a DOWNSTREAM_URL.)
 */
export function downstreamHandler(downstream: DownstreamTarget, logger: Logger): RequestHandler {
  return async function callDownstream(req, res) {
    let response: Response;
    let body: unknown;
    try {
      const url = downstream === 'self' ? ownSessionUrl(req) : downstream;
      response = await fetch(url, { signal: AbortSignal.timeout(DOWNSTREAM_TIMEOUT_MS) });
      body = await response.json();
    } catch (error) {
      logger.warn('downstream call failed', { 'error.type': error instanceof Error ? error.name : typeof error });
      throw new HttpError(502, 'bad_gateway', 'The downstream service did not answer with JSON', { cause: error });
    }
    res.json({ status: response.status, downstream: body });
  };
}

/**
 * Logs a warning when calls to `downstream` will carry no baggage: its host is not on
 * BAGGAGE_ALLOWED_HOSTS (`allowedHosts`, default loopback). The call still goes out, with its
 * trace context, but the downstream starts a session of its own, which is not what the
 * demo's "call downstream" is for: a DOWNSTREAM_URL to another service needs its host listed
 * (docker-compose.yml lists `orders`).
 */
export function warnWhenDownstreamGetsNoBaggage(downstream: DownstreamTarget, allowedHosts: ReadonlySet<string>, logger: Logger): void {
  // As the allowlist holds hosts: lower case (URL.hostname is), IPv6 without brackets.
  const host = downstream === 'self' ? SELF_HOST : downstream.hostname.replace(/^\[(.*)\]$/, '$1');
  if (allowedHosts.has(host)) return;
  logger.warn('calls to DOWNSTREAM_URL will carry no baggage: its host is not in BAGGAGE_ALLOWED_HOSTS', {
    'server.address': host,
    allowed_hosts: [...allowedHosts].join(','),
  });
}

/** The host of the `'self'` downstream. */
const SELF_HOST = '127.0.0.1';

/** This service's own `/api/session`, on the local port of the request's connection. */
function ownSessionUrl(req: Request): URL {
  const port = req.socket.localPort;
  // Only a connection that is already gone has no local port.
  if (port === undefined) throw new Error('The request has no local port to call back on');
  return new URL(`http://${SELF_HOST}:${port}/api/session`);
}
