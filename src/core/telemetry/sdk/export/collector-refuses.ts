import { connect } from 'node:net';

/**
 * Connection errors that say nothing listens at an address, or that it cannot be reached
 * from here at all: an export to it cannot succeed by waiting a few seconds.
 */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EADDRNOTAVAIL']);

/** How long a connection attempt may take before the collector counts as possibly there. */
export const COLLECTOR_PROBE_TIMEOUT_MS = 1000;

/**
 * True when every one of `endpoints` (URLs, or gRPC targets with or without a scheme) refuses
 * a TCP connection or cannot be reached (ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, ENOTFOUND,
 * EADDRNOTAVAIL). False as soon as one accepts, and for an endpoint that neither accepts nor
 * refuses within `timeoutMs` (a slow network may still deliver), an endpoint that cannot be
 * parsed, one whose scheme is not `http:` or `https:` (gRPC's `dns:///…`, `unix:…`: a TCP
 * connection to what the URL parser makes of them would test some other address), or an
 * empty list. A collector down at this one moment counts as gone: what its exporters held is
 * then counted lost, not retried. Never rejects. Opens and closes one connection per endpoint;
 * sends nothing.
 */
export async function collectorRefuses(endpoints: readonly string[], timeoutMs = COLLECTOR_PROBE_TIMEOUT_MS): Promise<boolean> {
  if (endpoints.length === 0) return false;
  const results = await Promise.all(endpoints.map((endpoint) => refuses(endpoint, timeoutMs)));
  return results.every(Boolean);
}

function refuses(endpoint: string, timeoutMs: number): Promise<boolean> {
  const url = tcpEndpointOf(endpoint);
  if (url === undefined) return Promise.resolve(false);
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const settle = (refused: boolean): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(refused);
    };
    const timer = setTimeout(() => {
      settle(false);
    }, timeoutMs);
    timer.unref();
    socket.once('connect', () => {
      settle(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      settle(UNREACHABLE.has(error.code ?? ''));
    });
  });
}

/**
 * The URL to probe for `endpoint`: an `http:` or `https:` URL, or a bare gRPC target
 * `host:port`; undefined for anything else, which the probe cannot speak for.
 */
function tcpEndpointOf(endpoint: string): URL | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(endpoint)?.[1]?.toLowerCase();
  // A bare `host:port` also matches the scheme pattern (`localhost:4317`): a scheme is one
  // followed by `//` or not followed by a port.
  const bare = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d+$/i.test(endpoint);
  if (!bare && scheme !== 'http' && scheme !== 'https') return undefined;
  const url = URL.parse(bare ? `http://${endpoint}` : endpoint);
  return url === null || url.hostname === '' ? undefined : url;
}
