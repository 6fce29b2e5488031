import type { IncomingMessage, RequestOptions } from 'node:http';
import { getNodeAutoInstrumentations, type InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { browserTelemetrySignalOf } from './browser-telemetry-paths.ts';
import { isHealthProbeRequest } from './health-probes.ts';
import { recordOutgoingHost } from './outgoing-destination.ts';

/** How each instrumentation is tuned for this service, whichever set is enabled. */
const INSTRUMENTATION_CONFIG = {
  '@opentelemetry/instrumentation-http': {
    // Health probes would fill the trace store with one trace per check. The probe routes
    // answer exactly the requests this ignores (one definition: health-probes.ts). So does
    // the browser telemetry relay (browser-telemetry-paths.ts): tracing the export of spans
    // would make spans to export.
    ignoreIncomingRequestHook: (request: IncomingMessage) =>
      isHealthProbeRequest(request.method, request.url) || browserTelemetrySignalOf(request.method, request.url) !== undefined,
    // Tells the session propagator where the request goes (baggage allowlist).
    startOutgoingSpanHook: (request: RequestOptions) => {
      recordOutgoingHost(request.hostname ?? request.host?.split(':')[0] ?? undefined);
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
    // names the server span itself, see nameRoutes). Middleware spans (session context,
    // access log, body parser, authentication) tell little and halved throughput.
    ignoreLayersType: [ExpressLayerType.MIDDLEWARE],
  },
  '@opentelemetry/instrumentation-winston': {
    // Only when chosen through OTEL_NODE_ENABLED_INSTRUMENTATIONS: the core's logger adds
    // trace_id, span_id and trace_flags itself (contextLogFields), and exports its records
    // itself (createLogger's exportRecords). Its log sending would add the same bridge to
    // every winston logger: each record exported twice, and the diagnostics logger's lines
    // about failing exports exported too, each failure making more to export.
    disableLogSending: true,
  },
  // With Express 5 the router instrumentation records every middleware a second time.
  '@opentelemetry/instrumentation-router': { enabled: false },
} satisfies InstrumentationConfigMap;

/**
 * The instrumentations to register.
 *
 * By default only what this service needs: http (one server span per request, named after
 * its route by the core's `nameRoutes`, and client spans) and undici (`fetch`). Express is
 * not instrumented: instrumentation-express wraps every layer of every request, costing as
 * much as the HTTP tracing itself, to record router and handler spans that repeat the server
 * span (README, "Performance"). Nor is winston: the core's logger writes the trace ids
 * itself. fs, dns and net stay off: they multiply spans without telling anything about a
 * request.
 * `OTEL_NODE_ENABLED_INSTRUMENTATIONS` / `OTEL_NODE_DISABLED_INSTRUMENTATIONS` (read by
 * `@opentelemetry/auto-instrumentations-node`) hand the choice to that bundle instead.
 */
export function createInstrumentations(env: Readonly<Record<string, string | undefined>>): Instrumentation[] {
  const chosenByEnv = ['OTEL_NODE_ENABLED_INSTRUMENTATIONS', 'OTEL_NODE_DISABLED_INSTRUMENTATIONS'].some(
    (name) => (env[name]?.trim() ?? '') !== '',
  );
  if (chosenByEnv) return getNodeAutoInstrumentations(INSTRUMENTATION_CONFIG);
  return [
    new HttpInstrumentation(INSTRUMENTATION_CONFIG['@opentelemetry/instrumentation-http']),
    new UndiciInstrumentation(INSTRUMENTATION_CONFIG['@opentelemetry/instrumentation-undici']),
  ];
}
