/** The OpenTelemetry bridge: SDK start-up, session span attributes and baggage policy. */
export { startTelemetry, disabledTelemetry, DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT, type Telemetry, type TelemetryOptions } from './start-telemetry.ts';
export { createInstrumentations } from './instrumentations.ts';
export { HEALTH_PROBE_PATHS, isHealthProbeRequest } from './health-probes.ts';
export { BROWSER_TELEMETRY_PATHS, browserTelemetrySignalOf, type BrowserTelemetrySignal } from './browser-telemetry-paths.ts';
export { SessionSpanProcessor } from './session-span-processor.ts';
export { SessionBaggagePropagator, outgoingBaggage, type BaggagePolicy } from './session-baggage-propagator.ts';
export { TELEMETRY_LOSS_REPORT, TelemetryLossMonitor, type Delivery, type TelemetryDelivery } from './telemetry-loss-monitor.ts';
export { DEFAULT_MAX_QUEUE_SIZE, otlpHeadersFromEnv, otlpHttpEndpointFromEnv, otlpProtocolFromEnv, type OtlpHttpEndpoint } from './exporters-from-env.ts';
export { registerTelemetry, registeredTelemetry } from './telemetry-registry.ts';
export { DiagnosticsToLogger } from './diag-to-logger.ts';
export { describeTelemetryError } from './describe-telemetry-error.ts';
export { admitIncomingBaggage } from './incoming-baggage-policy.ts';
export { isSessionSampled, SessionRatioSampler } from './session-ratio-sampler.ts';
export { samplerFromEnv, SESSION_SAMPLER_NAME, type SamplerFromEnv } from './sampler-from-env.ts';
export { EdgeSampler } from './edge-sampler.ts';
export { EdgeTraceContextPropagator } from './edge-trace-context-propagator.ts';
export { startServiceTelemetry, type ServiceTelemetryOptions } from './start-service-telemetry.ts';
