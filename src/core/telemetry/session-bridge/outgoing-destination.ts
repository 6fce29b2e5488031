/**
 * The host of the outgoing HTTP request being instrumented right now.
 *
 * The http and undici instrumentations call their start-span hook and then
 * `propagation.inject` synchronously, in the same call, but `inject` is not told where the
 * request goes. The hooks record the host here and the session propagator takes it, so that
 * baggage goes only to allowed hosts. Nothing else runs between the two calls (JavaScript is
 * single-threaded and neither instrumentation awaits in between).
 */
let pendingHost: string | undefined;

/** Called from the instrumentations' start-span hooks with the request's host name. */
export function recordOutgoingHost(host: string | undefined): void {
  // Without IPv6 brackets, as the allowlist holds them.
  pendingHost = host?.toLowerCase().replace(/^\[(.*)\]$/, '$1');
}

/**
 * The host recorded for the request being injected, consumed on read.
 * @returns `undefined` when the inject call is not an instrumented HTTP request.
 */
export function takeOutgoingHost(): string | undefined {
  const host = pendingHost;
  pendingHost = undefined;
  return host;
}
