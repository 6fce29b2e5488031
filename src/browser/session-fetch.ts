import { context } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import type { BrowserSession } from './browser-session.ts';
import type { TrustedOrigins } from './trusted-origins.ts';

/** The response header a server answers its session id in. */
export const SESSION_ID_HEADER = 'x-session-id';

/** What {@link withSessionAdoption} needs. */
export interface SessionFetchOptions {
  /** Records activity and returns the current session (the id the request is sent with). */
  readonly recordActivity: () => BrowserSession;
  /** Makes `id` the current session (ends the current one); ignores an invalid id. */
  readonly adopt: (id: string) => void;
  /** Whose answers are adopted: the page's origin and the trusted ones. */
  readonly trustedOrigins: TrustedOrigins;
  /** Requests to these (absolute) URLs are neither activity nor adopted from: the telemetry export. */
  readonly isExportUrl: (url: string) => boolean;
  /** What relative URLs are relative to (`location.href`); undefined outside a page. */
  readonly baseUrl: string | undefined;
}

/**
 * `fetch` as the page calls it, around the instrumented one: each call counts as activity
 * of the session, and when a trusted origin answers an `x-session-id` other than the id the
 * request was sent with, the page adopts it (a login rotated the session). The answer
 * is adopted before the caller sees the response.
 *
 * Wrapped around `fetch` rather than done in the instrumentation's
 * `applyCustomAttributesOnSpan`, which runs only once the whole body has been read (later
 * than the caller's next request may start) and would tie adoption to the span. Comparing
 * with the id sent, not the current one, keeps an answer to a request that left before a
 * rotation from taking the page back to the old session.
 *
 * Requests made with tracing suppressed (the exporter's own) and requests to the export
 * URLs pass straight through.
 */
export function withSessionAdoption(instrumentedFetch: typeof fetch, options: SessionFetchOptions): typeof fetch {
  const { recordActivity, adopt, trustedOrigins, isExportUrl, baseUrl } = options;
  return function fetchInSession(input, init) {
    if (isTracingSuppressed(context.active())) return instrumentedFetch(input, init);
    const url = absoluteUrl(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, baseUrl);
    // Not a URL: fetch itself rejects it, as it would without the wrapper.
    if (url === undefined || isExportUrl(url)) return instrumentedFetch(input, init);
    const sentWith = recordActivity().id;
    if (!trustedOrigins.includes(url)) return instrumentedFetch(input, init);
    return instrumentedFetch(input, init).then((response) => {
      const answered = response.headers.get(SESSION_ID_HEADER);
      if (answered !== null && answered !== sentWith) adopt(answered);
      return response;
    });
  };
}

function absoluteUrl(url: string, base: string | undefined): string | undefined {
  try {
    return new URL(url, base).href;
  } catch {
    return undefined;
  }
}
