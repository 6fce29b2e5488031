import { context, logs, propagation, SeverityNumber, trace, type Attributes } from '@opentelemetry/api';
import { CompositePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations, type Instrumentation } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { BatchSpanProcessor, ParentBasedSampler, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import type { BrowserSession, SessionChange } from './browser-session.ts';
import { resolveBrowserTelemetryOptions, type BrowserTelemetryOptions } from './browser-telemetry-options.ts';
import { pageLocalStorage } from './guarded-storage.ts';
import { sessionEventEmitter } from './session-events.ts';
import { SessionBaggagePropagator } from './session-baggage-propagator.ts';
import { withSessionAdoption } from './session-fetch.ts';
import { SessionLogRecordProcessor } from './session-log-record-processor.ts';
import { BrowserSessionManager } from './session-manager.ts';
import { SessionSampler } from './session-sampling.ts';
import { SessionSpanProcessor } from './session-span-processor.ts';
import { TrustedOrigins, urlPrefixPattern } from './trusted-origins.ts';

/** The severity of a {@link BrowserTelemetry.log} record. */
export type BrowserLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What {@link BrowserTelemetry.log} takes besides the message. */
export interface BrowserLogDetails {
  /** Default `'info'`. */
  readonly level?: BrowserLogLevel;
  /** Attributes of the record (`session.id` is added). Nothing secret: it is exported. */
  readonly attributes?: Attributes;
}

/** The running browser telemetry of a page; see {@link startBrowserTelemetry}. */
export interface BrowserTelemetry {
  /** The current session's id (a session past its timeout is replaced first). Not activity. */
  sessionId(): string;
  /** The current session, with its start, last activity and predecessor. Not activity. */
  session(): BrowserSession;
  /**
   * Makes `id` the current session, as an `x-session-id` answer does, for code that learns
   * the id another way: the current session ends and `id` starts with `session.previous_id`.
   * @returns false, changing nothing, when `id` is not a valid session id or already current.
   */
  adoptSessionId(id: string): boolean;
  /** Calls `listener` on every later change of the session. @returns its removal. */
  onSessionChange(listener: (change: SessionChange) => void): () => void;
  /** Emits a log record with `session.id`, exported like the spans. */
  log(message: string, details?: BrowserLogDetails): void;
  /** Exports what is buffered; rejects when an export fails. */
  flush(): Promise<void>;
  /**
   * Stops: `fetch` as it was, instrumentations off, buffered telemetry exported, the global
   * providers and propagator released. The session stays in storage; it does not end.
   */
  shutdown(): Promise<void>;
}

const SEVERITY: Readonly<Record<BrowserLogLevel, SeverityNumber>> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

const SCOPE = 'browser-telemetry';

/**
 * Starts a page's telemetry: OpenTelemetry's web SDK, one session per browser, and the
 * session on everything that leaves the page. Call it once, as early as the page can.
 *
 * - Spans: a `TracerProvider` of `@opentelemetry/sdk-trace` 3.0 with its
 *   `StackContextManager`, the document-load and fetch instrumentations, OTLP/HTTP JSON to
 *   `${exportBaseUrl}/v1/traces`. (`@opentelemetry/sdk-trace-web` stopped at 2.12, whose
 *   peer range excludes the pinned `@opentelemetry/api` 1.10; in the 3.0 line its pieces are
 *   in `sdk-trace` itself.) Sampled by session: a root span is kept exactly when the
 *   server's rule keeps its session at `sampleRatio`; children follow their parent.
 * - Log records: a `LoggerProvider` of `@opentelemetry/sdk-logs`, OTLP/HTTP JSON to
 *   `${exportBaseUrl}/v1/logs`; not sampled (as on the server).
 * - The session ({@link BrowserSessionManager}): `session.id` and `session.previous_id` on
 *   every span and record; `session.start` / `session.end` events; `traceparent` and
 *   `baggage: session.id=…` on fetches to the page's origin and `trustedOrigins` only; an
 *   `x-session-id` answer from those origins that differs from the id sent is adopted.
 *
 * @throws {RangeError} when an option is out of range or a trusted origin is not an origin.
 * @throws {Error} when OpenTelemetry is already registered on this page.
 */
export function startBrowserTelemetry(options: BrowserTelemetryOptions = {}): BrowserTelemetry {
  const settings = resolveBrowserTelemetryOptions(options);
  const page = (globalThis as { location?: { readonly origin: string; readonly href: string } }).location;
  const trustedOrigins = new TrustedOrigins(page?.origin, settings.trustedOrigins);
  const exportBase = exportBaseOf(settings.exportBaseUrl, page?.href);
  // Everything under the export base: the export requests themselves.
  const exportUrls = urlPrefixPattern(exportBase);

  const sessions = new BrowserSessionManager({
    idleTimeoutSeconds: settings.idleTimeoutSeconds,
    maxDurationSeconds: settings.maxDurationSeconds,
    storage: settings.storage === undefined ? pageLocalStorage() : settings.storage,
    now: settings.now,
  });
  const resource = defaultResource().merge(resourceFromAttributes({ 'service.name': settings.serviceName }));
  const tracerProvider = new TracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new SessionSampler(() => sessions.getSessionId(), settings.sampleRatio) }),
    spanProcessors: [
      new SessionSpanProcessor(() => sessions.recordActivity()),
      new BatchSpanProcessor({ exporter: settings.spanExporter ?? new OTLPTraceExporter({ url: `${exportBase}/v1/traces` }) }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new SessionLogRecordProcessor(() => sessions.current()),
      new BatchLogRecordProcessor({ exporter: settings.logRecordExporter ?? new OTLPLogExporter({ url: `${exportBase}/v1/logs` }) }),
    ],
  });

  if (!trace.setGlobalTracerProvider(tracerProvider)) {
    throw new Error('startBrowserTelemetry: OpenTelemetry is already registered on this page (start it once)');
  }
  context.setGlobalContextManager(new StackContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new SessionBaggagePropagator(() => sessions.getSessionId())] }),
  );
  logs.setGlobalLoggerProvider(loggerProvider);

  const logger = loggerProvider.getLogger(SCOPE);
  sessions.onChange(sessionEventEmitter(logger));
  // Loading the page is activity; a first visit or an expired session starts one here.
  sessions.recordActivity();

  // Taken before the fetch instrumentation is made: making it patches fetch.
  const pageFetch = globalThis.fetch;
  const instrumentations: Instrumentation[] = [
    // Deprecated for the opentelemetry-browser repository's package, which is not on the
    // pinned 3.0 line yet; this one is (0.300).
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    new FetchInstrumentation({ ignoreUrls: [exportUrls], propagateTraceHeaderCorsUrls: trustedOrigins.corsUrlPatterns() }),
  ];
  // No document in a worker (or in Node): only fetch is instrumented there.
  if ('document' in globalThis) instrumentations.push(new DocumentLoadInstrumentation());
  const unregister = registerInstrumentations({ instrumentations, tracerProvider });
  // After the instrumentation patched fetch, so that an answer is adopted whatever became
  // of the span (a session not sampled has none).
  const instrumentedFetch = globalThis.fetch;
  const sessionFetch = withSessionAdoption(instrumentedFetch, {
    recordActivity: () => sessions.recordActivity(),
    adopt: (id) => sessions.adopt(id),
    trustedOrigins,
    isExportUrl: (url) => exportUrls.test(url),
    baseUrl: page?.href,
  });
  globalThis.fetch = sessionFetch;

  return {
    sessionId: () => sessions.getSessionId(),
    session: () => sessions.current(),
    adoptSessionId: (id) => sessions.adopt(id),
    onSessionChange: (listener) => sessions.onChange(listener),
    log: (message, details = {}) => {
      const level = details.level ?? 'info';
      logger.emit({ body: message, severityNumber: SEVERITY[level], severityText: level.toUpperCase(), attributes: details.attributes ?? {} });
    },
    flush: async () => {
      await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush()]);
    },
    shutdown: async () => {
      // As it was before the start, unless code after it wrapped fetch again.
      if (globalThis.fetch === sessionFetch) globalThis.fetch = pageFetch;
      unregister();
      try {
        await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown()]);
      } finally {
        trace.disable();
        context.disable();
        propagation.disable();
        logs.disable();
      }
    },
  };
}

/** The absolute export base, without a trailing slash. */
function exportBaseOf(exportBaseUrl: string, pageUrl: string | undefined): string {
  let url: URL;
  try {
    url = new URL(exportBaseUrl, pageUrl);
  } catch (error) {
    throw new RangeError(`exportBaseUrl ${JSON.stringify(exportBaseUrl)} is not a URL${pageUrl === undefined ? ' (outside a page it must be absolute)' : ''}`, { cause: error });
  }
  return url.href.replace(/\/+$/, '');
}
