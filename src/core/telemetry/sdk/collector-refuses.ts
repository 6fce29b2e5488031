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
 * parsed, or an empty list. Never rejects. Opens and closes one connection per endpoint;
 * sends nothing.
 */
export async function collectorRefuses(endpoints: readonly string[], timeoutMs = COLLECTOR_PROBE_TIMEOUT_MS): Promise<boolean> {
  if (endpoints.length === 0) return false;
  const results = await Promise.all(endpoints.map((endpoint) => refuses(endpoint, timeoutMs)));
  return results.every(Boolean);
}

function refuses(endpoint: string, timeoutMs: number): Promise<boolean> {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `http://${endpoint}`);
  } catch {
    return Promise.resolve(false);
  }
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
