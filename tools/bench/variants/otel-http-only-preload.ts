/**
 * Variant 10's preload: standard OpenTelemetry HTTP tracing and nothing of this project's,
 * the reference for what tracing alone costs. The SDK as its docs start it, with the http
 * instrumentation only; spans are exported by the batch processor and exporter NodeSDK builds
 * from OTEL_* (OTLP over http/protobuf).
 */
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

new NodeSDK({ instrumentations: [new HttpInstrumentation()], metricReaders: [], logRecordProcessors: [] }).start();
