import type { IncomingMessage, ServerResponse } from 'node:http';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { RequestHandler, Response } from 'express';
import type { CoreConfig } from '../config/index.ts';
import { HttpError, type ErrorBody } from '../http/index.ts';
import { browserTelemetrySignalOf, type BrowserTelemetrySignal } from '../telemetry/index.ts';
import { readBoundedBody } from './read-bounded-body.ts';
import { RelayCounters, type BrowserRelayCounts, type RefusalReason } from './relay-counters.ts';
import { resolveRelayOptions, type BrowserTelemetryRelayOptions, type ResolvedRelayOptions } from './relay-options.ts';
import { relayUpstreams, type RelayTarget, type RelayUpstreams } from './relay-upstream.ts';
import { sanitizeOtlpRequest } from './sanitize-otlp-request.ts';
import { TokenBucket } from './token-bucket.ts';

/** The running relay: mount {@link handler} first in the app; `/readyz` shows {@link counts}. */
export interface BrowserTelemetryRelay {
  /**
   * Answers the relay's requests ({@link browserTelemetrySignalOf}) and passes every other
   * one on. Mount it before the session context, the access log and the JSON body parser:
   * relayed requests get no session, no access line, and their body is read here, bounded.
   */
  readonly handler: RequestHandler;
  /** Where each signal is posted, resolved at start-up. */
  readonly upstreams: RelayUpstreams;
  /** What became of the batches since start. */
  counts(): BrowserRelayCounts;
}

/** Largest collector answer passed on to the browser; a longer one is replaced. */
const MAX_UPSTREAM_ANSWER_BYTES = 64 * 1024;

/** The relay's answers other than the collector's own, each with its counter. */
const REFUSALS = {
  rateLimited: new HttpError(429, 'rate_limited', 'Too many telemetry requests; retry after the time in Retry-After'),
  busy: new HttpError(503, 'relay_busy', 'Too many telemetry requests in progress; retry after the time in Retry-After'),
  unsupportedMediaType: new HttpError(415, 'unsupported_media_type', 'The relay accepts OTLP/HTTP JSON only: Content-Type application/json'),
  unsupportedEncoding: new HttpError(415, 'unsupported_encoding', 'The relay accepts uncompressed bodies only'),
  payloadTooLarge: new HttpError(413, 'payload_too_large', 'The request body is larger than the relay accepts'),
  invalidOtlp: new HttpError(400, 'invalid_otlp', 'The body is not an OTLP/JSON export request of this signal'),
  aborted: new HttpError(400, 'request_aborted', 'The request was aborted by the client'),
} as const;
const BAD_GATEWAY = new HttpError(502, 'bad_gateway', 'The telemetry collector could not be reached or failed');
/** Said with the collector's own 4xx status when its answer is not JSON to pass on. */
const COLLECTOR_REFUSED = { code: 'collector_refused', message: 'The telemetry collector refused the batch' } as const;

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The browser telemetry relay: browsers post OTLP/HTTP JSON to `POST /otlp/v1/traces` and
 * `POST /otlp/v1/logs` on the page's own origin, and the relay forwards each batch to the
 * collector the service itself exports to (see `relayUpstreams`), and nowhere else.
 *
 * In order, each request is: rate-limited (429 `rate_limited`, `Retry-After`), bounded in
 * concurrency (503 `relay_busy`, `Retry-After: 1`), checked for `Content-Type:
 * application/json` with no charset but UTF-8 (415 `unsupported_media_type`) and no
 * `Content-Encoding` (415 `unsupported_encoding`), read up to `maxBodyBytes` (413
 * `payload_too_large`, unread past the limit), parsed as UTF-8 JSON and checked to be an OTLP
 * export request of its signal (400 `invalid_otlp`), rewritten by `sanitizeOtlpRequest`
 * (`service.name` set, `user.id` removed), and posted re-serialized, never as received. The
 * collector's 2xx or 4xx status is passed on with its JSON body (at most 64 KiB, else `{}` /
 * a JSON error), a 4xx `Retry-After` in whole seconds with it; no answer in
 * `upstreamTimeoutMs`, a 5xx or a redirect answers 502 `bad_gateway`. The browser's OTLP
 * exporter retries 429, 502, 503 and 504, honouring `Retry-After`.
 *
 * Untraced: the server span middleware skips these requests, and the forward runs with tracing
 * suppressed (no client span, no `traceparent` or `baggage` sent), so relaying spans makes
 * none. Refusals and failures are counted ({@link BrowserTelemetryRelay.counts}) and reported
 * at most once per `reportIntervalMs` through the diagnostic logger; no request content is
 * ever logged or copied into a header.
 *
 * @throws {ConfigError} for invalid options or an invalid upstream endpoint.
 */
export function createBrowserTelemetryRelay(
  options: BrowserTelemetryRelayOptions,
  config: Pick<CoreConfig, 'browserTelemetryOtlpEndpoint'>,
): BrowserTelemetryRelay {
  const settings = resolveRelayOptions(options);
  const upstreams = relayUpstreams(config.browserTelemetryOtlpEndpoint);
  const counters = new RelayCounters(settings.reportIntervalMs);
  const bucket = new TokenBucket({ ratePerSecond: settings.requestsPerSecond, burst: settings.burst });
  let inProgress = 0;

  const relay = async (signal: BrowserTelemetrySignal, req: IncomingMessage, res: Response): Promise<void> => {
    const waitMs = bucket.take();
    if (waitMs > 0) {
      res.setHeader('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))));
      refuse(res, 'rateLimited');
      return;
    }
    if (inProgress >= settings.maxConcurrent) {
      res.setHeader('Retry-After', '1');
      refuse(res, 'busy');
      return;
    }
    inProgress++;
    try {
      const request = await acceptedRequest(signal, req, res, settings);
      if (request === undefined) return;
      await forward(upstreams[signal], request, res, settings.upstreamTimeoutMs);
    } finally {
      inProgress--;
    }
  };

  /** Answers a refusal of the relay's own, counted. */
  const refuse = (res: Response, reason: RefusalReason, answer: HttpError = REFUSALS[reason]): void => {
    counters.refused(reason);
    sendError(res, answer);
  };

  /** The sanitized export request, or `undefined` once a refusal has been answered. */
  const acceptedRequest = async (
    signal: BrowserTelemetrySignal,
    req: IncomingMessage,
    res: Response,
    { maxBodyBytes, serviceName }: ResolvedRelayOptions,
  ): Promise<string | undefined> => {
    const mediaType = contentTypeProblem(req.headers['content-type']);
    if (mediaType) {
      refuse(res, 'unsupportedMediaType');
      return undefined;
    }
    const encoding = req.headers['content-encoding']?.trim().toLowerCase();
    if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
      refuse(res, 'unsupportedMediaType', REFUSALS.unsupportedEncoding);
      return undefined;
    }
    const read = await readBoundedBody(req, maxBodyBytes);
    if ('failure' in read) {
      refuse(res, read.failure === 'tooLarge' ? 'payloadTooLarge' : 'aborted');
      return undefined;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(STRICT_UTF8.decode(read.body));
    } catch {
      refuse(res, 'invalidOtlp');
      return undefined;
    }
    const sanitized = sanitizeOtlpRequest(signal, parsed, serviceName);
    if (sanitized === undefined) {
      refuse(res, 'invalidOtlp');
      return undefined;
    }
    return JSON.stringify(sanitized);
  };

  const forward = async (target: RelayTarget, body: string, res: Response, timeoutMs: number): Promise<void> => {
    let upstream: globalThis.Response;
    let answer: string | undefined;
    try {
      // Suppressed: no client span, no traceparent or baggage injected; the collector's own
      // telemetry of this call would be one more batch to relay.
      upstream = await context.with(suppressTracing(context.active()), () =>
        fetch(target.url, {
          method: 'POST',
          headers: { ...target.headers, 'content-type': 'application/json' },
          body,
          // Nowhere but the collector: a redirect is a failure, not a new destination.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        }),
      );
      // The timeout's signal also bounds reading the answer.
      answer = await jsonAnswer(upstream);
    } catch {
      counters.failed('unreachable');
      sendError(res, BAD_GATEWAY);
      return;
    }
    if (upstream.status >= 200 && upstream.status < 300) {
      counters.forwarded();
      res.status(upstream.status).type('application/json').send(answer ?? '{}');
      return;
    }
    if (upstream.status >= 400 && upstream.status < 500) {
      counters.failed('collectorRefused');
      const retryAfter = upstream.headers.get('retry-after');
      if (retryAfter !== null && /^\d{1,6}$/.test(retryAfter)) res.setHeader('Retry-After', retryAfter);
      if (answer === undefined) sendError(res, new HttpError(upstream.status, COLLECTOR_REFUSED.code, COLLECTOR_REFUSED.message));
      else res.status(upstream.status).type('application/json').send(answer);
      return;
    }
    counters.failed('collectorError');
    sendError(res, BAD_GATEWAY);
  };

  const handler: RequestHandler = (req, res, next) => {
    const signal = browserTelemetrySignalOf(req.method, req.originalUrl);
    if (signal === undefined) {
      next();
      return;
    }
    relay(signal, req, res).catch(next);
  };

  return { handler, upstreams, counts: () => counters.counts() };
}

/**
 * Whether a `Content-Type` is not OTLP/HTTP JSON: `application/json`, any letter case, with
 * no parameter but `charset=utf-8`. The browser's OTLP exporter (a `fetch`, sendBeacon is gone
 * from otlp-exporter-base 0.300) always sends exactly `application/json`.
 */
function contentTypeProblem(contentType: string | undefined): boolean {
  if (contentType === undefined) return true;
  const [type = '', ...parameters] = contentType.split(';').map((part) => part.trim().toLowerCase());
  if (type !== 'application/json') return true;
  return parameters.some((parameter) => parameter !== '' && parameter !== 'charset=utf-8' && parameter !== 'charset="utf-8"');
}

/**
 * The collector's answer as JSON text to pass on, or `undefined` when it is not JSON or longer
 * than {@link MAX_UPSTREAM_ANSWER_BYTES} (read no further than that).
 */
async function jsonAnswer(upstream: globalThis.Response): Promise<string | undefined> {
  if (upstream.body === null) return undefined;
  const reader: ReadableStreamDefaultReader<Uint8Array> = upstream.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.byteLength;
    if (length > MAX_UPSTREAM_ANSWER_BYTES) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const isJson = /^application\/json\b/i.test(upstream.headers.get('content-type') ?? '');
  if (!isJson) return undefined;
  try {
    const text = STRICT_UTF8.decode(Buffer.concat(chunks, length));
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}

/**
 * Answers `error` as the core's error handler would (`{"error","message"}`), without its
 * per-request log line: refusals are counted and reported per interval instead. The
 * connection is closed when the body was not read to its end, rather than read on unbounded.
 */
function sendError(res: Response, error: HttpError): void {
  if (!(res.req as IncomingMessage).complete) (res as ServerResponse).shouldKeepAlive = false;
  res.status(error.status).json({ error: error.code, message: error.message } satisfies ErrorBody);
}
