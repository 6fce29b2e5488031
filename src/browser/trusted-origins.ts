/**
 * The origins a page's fetches carry `traceparent` and `baggage` to, and whose
 * `x-session-id` answers it adopts: its own origin and the trusted ones, nothing else.
 */
export class TrustedOrigins {
  readonly #pageOrigin: string | undefined;
  readonly #trusted: ReadonlySet<string>;

  /**
   * @param pageOrigin the page's own origin (`location.origin`); `undefined` outside a page.
   * @param trustedOrigins other origins, each exactly an origin (`https://api.example.com`,
   *   no path, no trailing slash).
   * @throws {RangeError} naming the first entry that is not an origin.
   */
  constructor(pageOrigin: string | undefined, trustedOrigins: readonly string[]) {
    for (const origin of trustedOrigins) {
      if (originOf(origin) !== origin) {
        throw new RangeError(`trustedOrigins: ${JSON.stringify(origin)} is not an origin such as "https://api.example.com"`);
      }
    }
    this.#pageOrigin = pageOrigin;
    this.#trusted = new Set(trustedOrigins);
  }

  /** Whether `url` (absolute, or relative to `base`) is on the page's origin or a trusted one. */
  includes(url: string, base?: string): boolean {
    const origin = originOf(url, base);
    return origin !== undefined && (origin === this.#pageOrigin || this.#trusted.has(origin));
  }

  /**
   * The trusted origins (the page's own aside) as patterns for the fetch instrumentation's
   * `propagateTraceHeaderCorsUrls`, which matches them against the whole URL: each is
   * anchored at the start and must end at the origin's end, so `https://api.example.com`
   * does not also admit `https://api.example.com.evil.example`.
   */
  corsUrlPatterns(): RegExp[] {
    return [...this.#trusted].map(urlPrefixPattern);
  }
}

/** The origin of `url`, or undefined when it is not a URL with one (`null` origins included). */
function originOf(url: string, base?: string): string | undefined {
  try {
    const { origin } = new URL(url, base);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * A pattern matching `prefix` (an absolute URL without a trailing slash) and the URLs under
 * it: `prefix` itself, or followed by `/`, `?` or `#`; never `prefix` continued (a longer
 * host name, a longer path segment).
 */
export function urlPrefixPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, String.raw`\$&`)}(?:[/?#]|$)`);
}
