import type { IncomingMessage, RequestOptions } from 'node:http';
import { createRequire } from 'node:module';
import type { getNodeAutoInstrumentations, InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { browserTelemetrySignalOf, isHealthProbeRequest } from '../http-server/index.ts';
import { httpRequestHost, recordOutgoingHost } from '../session-bridge/index.ts';

/** How each instrumentation is tuned for this service, whichever set is enabled. */
const INSTRUMENTATION_CONFIG = {
  '@opentelemetry/instrumentation-http': {
    // Its server side runs only when chosen through OTEL_NODE_ENABLED_INSTRUMENTATIONS (by
    // default the core's traceRequests makes the server span), and leaves untraced what
    // traceRequests leaves untraced: health probes (one trace per check otherwise) and the
    // browser telemetry relay (tracing the export of spans would make spans to export).
    ignoreIncomingRequestHook: (request: IncomingMessage) =>
      isHealthProbeRequest(request.method, request.url) || browserTelemetrySignalOf(request.method, request.url) !== undefined,
    // Tells the session propagator where the request goes (baggage allowlist): the host Node
    // will connect to.
    startOutgoingSpanHook: (request: RequestOptions) => {
      recordOutgoingHost(httpRequestHost(request));
      return {};
    },
  },
  '@opentelemetry/instrumentation-undici': {
    startSpanHook: (request: { origin: string }) => {
      recordOutgoingHost(URL.parse(request.origin)?.hostname);
      return {};
    },
  },
  '@opentelemetry/instrumentation-express': {
    // Only when chosen through OTEL_NODE_ENABLED_INSTRUMENTATIONS (off by default: the core
    // names the server span itself, see traceRequests and nameRoutes). Middleware spans (session context,
    // access log, body parser, authentication) tell little and halved throughput.
    ignoreLayersType: [ExpressLayerType.MIDDLEWARE],
  },
  '@opentelemetry/instrumentation-winston': {
    // Only when chosen through OTEL_NODE_ENABLED_INSTRUMENTATIONS: the core's logger adds
    // trace_id, span_id and trace_flags itself (contextLogFields), and exports its records
    // itself (createLogger's exportRecords). Its log sending would add the same bridge to
    // every winston logger: each record exported twice, and the diagnostics logger's lines
    // about failing exports exported too, each failure making more to export. Nor does it
    // add trace_id, span_id and trace_flags to the records: the logger would keep those as a
    // caller's fields (`meta.trace_id`, …), next to its own.
    disableLogSending: true,
    disableLogCorrelation: true,
  },
  // With Express 5 the router instrumentation records every middleware a second time.
  '@opentelemetry/instrumentation-router': { enabled: false },
} satisfies InstrumentationConfigMap;

/**
 * The instrumentations to register.
 *
 * By default only what this service needs: http for client spans (its server side off: the
 * core's `traceRequests` makes each request's server span) and undici (`fetch`). Express is
 * not instrumented: instrumentation-express wraps every layer of every request, costing as
 * much as the HTTP tracing itself, to record router and handler spans that repeat the server
 * span (docs/performance.md). Nor is winston: the core's logger writes the trace ids
 * itself. fs, dns and net stay off: they multiply spans without telling anything about a
 * request.
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (read by
 * `@opentelemetry/auto-instrumentations-node`) hand the choice to that bundle instead, the
 * server span included ({@link instrumentationsChosenByEnv}).
 */
export function createInstrumentations(env: Readonly<Record<string, string | undefined>>): Instrumentation[] {
  if (instrumentationsChosenByEnv(env)) {
    // Loaded only when chosen: the bundle loads every instrumentation it knows (about 40
    // packages, a tenth of a second of each start, which `npm run dev` pays on every restart).
    // Required, as a static import would have loaded it: after the preload registers the ESM
    // loader hook, an import would go through it.
    const bundle = createRequire(import.meta.url)('@opentelemetry/auto-instrumentations-node') as {
      getNodeAutoInstrumentations: typeof getNodeAutoInstrumentations;
    };
    return bundle.getNodeAutoInstrumentations(INSTRUMENTATION_CONFIG);
  }
  return [
    // Client spans only: the core makes each request's server span itself (traceRequests).
    new HttpInstrumentation({ ...INSTRUMENTATION_CONFIG['@opentelemetry/instrumentation-http'], disableIncomingRequestInstrumentation: true }),
    new UndiciInstrumentation(INSTRUMENTATION_CONFIG['@opentelemetry/instrumentation-undici']),
  ];
}

/**
 * Whether `OTEL_NODE_ENABLED_INSTRUMENTATIONS` or `OTEL_NODE_DISABLED_INSTRUMENTATIONS` hands
 * the choice of instrumentations to `@opentelemetry/auto-instrumentations-node`: then its
 * HTTP instrumentation makes each request's server span, and the core's `traceRequests` stays
 * off.
 */
export function instrumentationsChosenByEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return ['OTEL_NODE_ENABLED_INSTRUMENTATIONS', 'OTEL_NODE_DISABLED_INSTRUMENTATIONS'].some((name) => (env[name]?.trim() ?? '') !== '');
}
