/**
 * The OpenTelemetry bridge: SDK start-up, the server span, session span attributes and baggage
 * policy, and the telemetry's own diagnostics. One folder per job; this file is the surface.
 */
// sdk/: the OpenTelemetry SDK started from the OTEL_* configuration, and handed to the service.
export { startTelemetry, disabledTelemetry, DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT, type Telemetry, type TelemetryOptions } from './sdk/index.ts';
export { createInstrumentations, instrumentationsChosenByEnv } from './sdk/index.ts';
export { DEFAULT_MAX_QUEUE_SIZE, otlpHeadersFromEnv, otlpHttpEndpointFromEnv, otlpProtocolFromEnv, type OtlpHttpEndpoint } from './sdk/index.ts';
export { registerTelemetry, registeredTelemetry } from './sdk/index.ts';
export { samplerFromEnv, SESSION_SAMPLER_NAME, type SamplerFromEnv } from './sdk/index.ts';
export { startServiceTelemetry, type ServiceTelemetryOptions } from './sdk/index.ts';
// http-server/: each request's server span, and the requests left untraced.
export { ABORTED_ERROR_TYPE, traceRequests } from './http-server/index.ts';
export { HEALTH_PROBE_PATHS, isHealthProbeRequest } from './http-server/index.ts';
export { BROWSER_TELEMETRY_PATHS, browserTelemetrySignalOf, type BrowserTelemetrySignal } from './http-server/index.ts';
// session-bridge/: the session on spans and in baggage, and the trust rules of an edge.
export { SessionSpanProcessor } from './session-bridge/index.ts';
export { SessionBaggagePropagator, outgoingBaggage, type BaggagePolicy } from './session-bridge/index.ts';
export { admitIncomingBaggage } from './session-bridge/index.ts';
export { isSessionSampled, SessionRatioSampler } from './session-bridge/index.ts';
export { EdgeSampler } from './session-bridge/index.ts';
export { EdgeTraceContextPropagator } from './session-bridge/index.ts';
// diagnostics/: what the telemetry says about itself: lost spans and records, export failures.
export { TELEMETRY_LOSS_REPORT, TelemetryLossMonitor, type Delivery, type TelemetryDelivery } from './diagnostics/index.ts';
export { DiagnosticsToLogger } from './diagnostics/index.ts';
export { describeTelemetryError } from './diagnostics/index.ts';
