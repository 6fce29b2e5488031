/** The OpenTelemetry SDK started from the OTEL_* configuration (exporters, processors, sampler,
 * instrumentations) and handed to the service. */
export { startTelemetry, disabledTelemetry, DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT, type Telemetry, type TelemetryOptions } from './start-telemetry.ts';
export { createInstrumentations, instrumentationsChosenByEnv } from './instrumentations.ts';
export { DEFAULT_MAX_QUEUE_SIZE, otlpHeadersFromEnv, otlpHttpEndpointFromEnv, otlpProtocolFromEnv, type OtlpHttpEndpoint } from './export/exporters-from-env.ts';
export { registerTelemetry, registeredTelemetry } from './telemetry-registry.ts';
export { samplerFromEnv, SESSION_SAMPLER_NAME, type SamplerFromEnv } from './sampler-from-env.ts';
export { startServiceTelemetry, type ServiceTelemetryOptions } from './start-service-telemetry.ts';
