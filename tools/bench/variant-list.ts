import { SERVICE, type Variant } from './processes.ts';

const node = process.execPath;

/** The OTLP endpoints of a run's sinks; the collector ones only when the real collector is built. */
export interface SinkEndpoints {
  readonly light: string;
  readonly collector?: string | undefined;
  /** The real collector also deriving RED metrics (the span_metrics connector). */
  readonly collectorRedMetrics?: string | undefined;
}

/**
 * Every variant `npm run bench` measures, in the order of its table. All serve the same
 * `GET /api/session` with one event-loop turn. The exporting variants (6 to 12) export OTLP
 * to the light sink, so that the receiver takes next to nothing from the machine they share:
 * traces only (OTEL_LOGS_EXPORTER=none), so that they compare with each other and with
 * earlier runs, except 12, which also exports every log line as a log record (what
 * `npm start` does by default). 13 is 12 exporting to the real OpenTelemetry Collector running
 * the stack's trace and log pipelines, 14 the same with the RED metrics pipelines too (what
 * the connector costs), each listed only when its sink is given (the collector is built).
 */
export function benchVariants(sinks: SinkEndpoints): Variant[] {
  const withLogs = (endpoint: string): Record<string, string> => ({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'bench', LOG_LEVEL: 'info' });
  const defaults = withLogs(sinks.light);
  const full = { ...defaults, OTEL_LOGS_EXPORTER: 'none' };
  const variants: Variant[] = [
    { id: 'raw-http', label: '1. raw node:http (ceiling)', command: [node, 'tools/bench/variants/raw-http.ts'], env: {} },
    { id: 'express', label: '2. bare Express 5', command: [node, 'tools/bench/variants/express-bare.ts'], env: {} },
    { id: 'session-context', label: '3. Express + session middleware, no telemetry', command: [node, 'tools/bench/variants/express-session-context.ts'], env: {} },
    { id: 'cls-rtracer', label: '4. Express + cls-rtracer', command: [node, 'tools/bench/variants/express-cls-rtracer.ts'], env: {} },
    { id: 'express-http-context', label: '5. Express + express-http-context', command: [node, 'tools/bench/variants/express-http-context.ts'], env: {} },
    { id: 'service-sdk-disabled', label: '6. full service, OTEL_SDK_DISABLED=true', command: SERVICE, env: { ...full, OTEL_SDK_DISABLED: 'true' }, sink: 'light' },
    { id: 'service-bridge-off', label: '7. full service + OTel SDK, bridge off', command: SERVICE, env: { ...full, SESSION_TELEMETRY_BRIDGE: 'false' }, sink: 'light' },
    { id: 'service', label: '8. full service + OTel SDK, bridge on', command: SERVICE, env: full, sink: 'light' },
    {
      id: 'service-express-instrumented',
      label: '9. as 8, plus the express and winston instrumentations',
      command: SERVICE,
      env: { ...full, OTEL_NODE_ENABLED_INSTRUMENTATIONS: 'http,express,undici,winston' },
      sink: 'light',
    },
    {
      id: 'service-session-sampled',
      label: '10. as 8, sampling sessions at 0.1 (parentbased_session_ratio)',
      command: SERVICE,
      env: { ...full, OTEL_TRACES_SAMPLER: 'parentbased_session_ratio', OTEL_TRACES_SAMPLER_ARG: '0.1' },
      sink: 'light',
    },
    {
      id: 'express-otel-http',
      label: '11. bare Express + standard OTel HTTP tracing, exporting (reference)',
      command: [node, '--import', './tools/bench/variants/otel-http-only-preload.ts', 'tools/bench/variants/express-bare.ts'],
      env: full,
      sink: 'light',
    },
    { id: 'service-log-export', label: '12. as 8, plus every log line exported as an OTLP log record (the default)', command: SERVICE, env: defaults, sink: 'light' },
  ];
  if (sinks.collector !== undefined) {
    variants.push({
      id: 'service-log-export-collector',
      label: '13. as 12, exporting to the real OpenTelemetry Collector',
      command: SERVICE,
      env: withLogs(sinks.collector),
      sink: 'collector',
    });
  }
  if (sinks.collectorRedMetrics !== undefined) {
    variants.push({
      id: 'service-log-export-collector-red-metrics',
      label: '14. as 13, the collector also deriving RED metrics (span_metrics connector)',
      command: SERVICE,
      env: withLogs(sinks.collectorRedMetrics),
      sink: 'collector-red-metrics',
    });
  }
  return variants;
}
