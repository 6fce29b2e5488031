import type { IncomingMessage, RequestOptions } from 'node:http';
import { getNodeAutoInstrumentations, type InstrumentationConfigMap } from '@opentelemetry/auto-instrumentations-node';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { WinstonInstrumentation } from '@opentelemetry/instrumentation-winston';
import { isHealthProbeRequest } from './health-probes.ts';
import { recordOutgoingHost } from './outgoing-destination.ts';

/** How each instrumentation is tuned for this service, whichever set is enabled. */
const INSTRUMENTATION_CONFIG = {
  '@opentelemetry/instrumentation-http': {
    // Health probes would fill the trace store with one trace per check. The probe routes
    // answer exactly the requests this ignores (one definition: health-probes.ts).
    ignoreIncomingRequestHook: (request: IncomingMessage) => isHealthProbeRequest(request.method, request.url),
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
    // Middleware spans (session context, access log, body parser, authentication) take well
    // under a millisecond and tell little; recording them halved throughput with the SDK on
    // and doubled the span volume (tools/bench/). Route handler and router spans stay. Router
    // layers must stay anyway: ignoring them (ignoreLayersType: router) corrupts the route
    // instrumentation-express derives once a request passes two routers mounted on a path,
    // and the server span loses its `http.route` and its name.
    ignoreLayersType: [ExpressLayerType.MIDDLEWARE],
  },
  '@opentelemetry/instrumentation-winston': {
    // Adds trace_id, span_id and trace_flags to every record written inside a span.
    // Log lines go to stdout only; shipping them over OTLP would need a logs pipeline.
    disableLogSending: true,
  },
  // With Express 5 the router instrumentation records every middleware a second time.
  '@opentelemetry/instrumentation-router': { enabled: false },
} satisfies InstrumentationConfigMap;

/**
 * The instrumentations to register.
 *
 * By default only what this service needs: http (server and client spans), express
 * (router and route handler spans), undici (`fetch`) and winston. fs, dns and net stay off:
 * they multiply spans without telling anything about a request.
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
    new ExpressInstrumentation(INSTRUMENTATION_CONFIG['@opentelemetry/instrumentation-express']),
    new UndiciInstrumentation(INSTRUMENTATION_CONFIG['@opentelemetry/instrumentation-undici']),
    new WinstonInstrumentation(INSTRUMENTATION_CONFIG['@opentelemetry/instrumentation-winston']),
  ];
}
