/** A base URL from the environment (`JAEGER_URL`, `VICTORIALOGS_URL`) taken apart: where requests go, and how they authenticate. */
export interface Endpoint {
  /**
   * The address without credentials, always ending in `/`, so that API paths and UI links
   * resolve under a path prefix (e.g. Jaeger's `base_path`, `http://host/jaeger/`).
   */
  readonly base: URL;
  /** `Basic …` when the URL carries `user:password@`; `undefined` otherwise. */
  readonly authorization: string | undefined;
}

/** The URL in an environment variable cannot be used; the message names the variable and never contains its credentials. */
export class EndpointUrlError extends Error {
  /** The variable, e.g. `JAEGER_URL`. */
  readonly variable: string;

  constructor(variable: string, message: string, options?: ErrorOptions) {
    super(`${variable} ${message}`, options);
    this.name = 'EndpointUrlError';
    this.variable = variable;
  }
}

/** `url` with any credentials replaced by `***`, safe to show. */
function redacted(url: URL): string {
  if (url.username === '' && url.password === '') return url.href;
  const copy = new URL(url);
  copy.username = '***';
  copy.password = copy.password === '' ? '' : '***';
  return copy.href;
}

function decodeCredential(encoded: string, what: string, variable: string, shown: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch (error) {
    throw new EndpointUrlError(variable, `has a badly percent-encoded ${what}: ${shown}`, { cause: error });
  }
}

/**
 * Parses the base URL held by the environment variable `variable`: an http(s) URL, optionally
 * with a path (kept: every API path and UI link is resolved under it) and `user:password@`
 * (percent-encoded; sent as HTTP Basic authentication, and removed from the address that is
 * shown).
 * @throws {EndpointUrlError} for anything else: not http(s), a query or fragment, bad encoding.
 */
export function parseEndpointUrl(text: string, variable: string): Endpoint {
  const url = URL.parse(text);
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    // Only http(s) URLs are sure to hold credentials in username and password (`ada:pw@` parses
    // as scheme `ada:`), so anything else is shown only when it has no @.
    const shown = text.includes('@') ? 'a value with @ in it (not shown)' : JSON.stringify(text);
    throw new EndpointUrlError(variable, `must be an http(s) URL, got ${shown}`);
  }
  const shown = redacted(url);
  if (url.search !== '' || url.hash !== '') {
    throw new EndpointUrlError(variable, `must be the base address without ?query or #fragment, got ${shown}`);
  }
  const username = decodeCredential(url.username, 'user name', variable, shown);
  const password = decodeCredential(url.password, 'password', variable, shown);
  // RFC 7617: the user-id of Basic authentication cannot contain a colon.
  if (username.includes(':')) throw new EndpointUrlError(variable, `has a user name with a colon, which Basic authentication cannot send: ${shown}`);
  const base = new URL(url);
  base.username = '';
  base.password = '';
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  const authorization =
    username === '' && password === '' ? undefined : `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  return { base, authorization };
}
