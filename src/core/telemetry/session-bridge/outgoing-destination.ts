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
 * The host an `http.request` (or `https.request`, `get`) with these options connects to, as
 * Node 24 decides it (lib/_http_client.js: `hostname || host || 'localhost'`): an empty or
 * missing `hostname` gives way to `host`, and with neither the request goes to `localhost`
 * (`{ port }` alone). `host` is taken whole, as Node takes it: `'::1'` is an IPv6 address, not
 * a host and a port. URLs and URL strings reach the instrumentation's hook already turned into
 * options whose `hostname` is the URL's (without IPv6 brackets), extra options merged over it,
 * as Node merges them.
 * @param options the request options the http instrumentation hands its start-span hook.
 */
export function httpRequestHost(options: { readonly hostname?: string | null | undefined; readonly host?: string | null | undefined }): string {
  // `||`, not `??`: Node skips an empty hostname too.
  return options.hostname || options.host || 'localhost';
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
