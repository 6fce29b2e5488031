import { diag } from '@opentelemetry/api';
import { CompositePropagator, getBooleanFromEnv, getStringFromEnv, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Instrumentation } from '@opentelemetry/instrumentation';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { startSessionTracesApart } from '../../context/index.ts';
import { readTraceFlagsWith } from '../../logging/index.ts';
import { shareLoggerProviderWithLegacyLogsApi } from './legacy-logs-api.ts';
import {
  type BaggagePolicy,
  decidedTraceFlags,
  EdgeSampler,
  EdgeTraceContextPropagator,
  SessionBaggagePropagator,
  SessionSampledFlagPropagator,
  SessionSampledLogRecordProcessor,
  SessionSampledSpanProcessor,
  SessionSpanProcessor,
} from '../session-bridge/index.ts';
import { createExportingLogRecordProcessors } from './export/log-record-processors-from-env.ts';
import { LogValueLimitProcessor } from './export/log-value-limit-processor.ts';
import { DEFAULT_LOG_VALUE_LENGTH_LIMIT } from '../../config/index.ts';
import { samplerFromEnv } from './sampler-from-env.ts';
import { createExportingSpanProcessors } from './export/span-processors-from-env.ts';
import { NO_DELIVERY, type TelemetryDelivery, TelemetryLossMonitor } from '../diagnostics/index.ts';
import { collectorRefuses } from './export/collector-refuses.ts';
import { exporterNamesFromEnv } from './export/exporters-from-env.ts';
import type { InFlightCounts } from './export/in-flight-exports.ts';
import { otlpDestinationsFromEnv, type OtlpDestination } from './export/otlp-destinations.ts';

/** Longest span attribute value when OTEL_(SPAN_)ATTRIBUTE_VALUE_LENGTH_LIMIT is unset. */
export const DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT = 1024;

/** Options of {@link startTelemetry}. */
export interface TelemetryOptions {
  /** `service.name` when OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES do not set one. */
  readonly defaultServiceName: string;
  /** `service.version` of the resource. */
  readonly serviceVersion: string;
  /** What crosses the service boundary in baggage. */
  readonly baggagePolicy: BaggagePolicy;
  /**
   * The session span processor, which puts the session on every span. `false` only to
   * measure its cost. Default `true`. The baggage policy applies either way: it is the
   * service's trust boundary, not an optional feature.
   */
  readonly sessionBridge?: boolean;
  /**
   * Creates the instrumentations to register (see `createInstrumentations`). Called only when
   * the SDK is enabled: an instrumentation patches its module as soon as it is constructed,
   * and patched code costs time on every request even with nothing to record.
   */
  readonly instrumentations: () => Instrumentation[];
  /**
   * Whether the core makes each request's server span (`traceRequests`). Default `true`;
   * `false` when the instrumentations' own HTTP server side makes it.
   */
  readonly tracesRequests?: boolean;
  /** Export here instead of where OTEL_TRACES_EXPORTER says (tests use an in-memory exporter). */
  readonly spanExporter?: SpanExporter;
  /** Export here instead of where OTEL_LOGS_EXPORTER says (tests use an in-memory exporter). */
  readonly logRecordExporter?: LogRecordExporter;
  /** How often lost spans and log records are checked for and reported. Default 10 s. */
  readonly lossReportIntervalMs?: number;
  /**
   * Longest string of an exported log record's attribute values (`LogValueLimitProcessor`):
   * the core configuration's `logValueLengthLimit`. Default `DEFAULT_LOG_VALUE_LENGTH_LIMIT`.
   */
  readonly logValueLengthLimit?: number;
}

/** The running telemetry. None of its methods ever rejects. */
export interface Telemetry {
  /** False when OTEL_SDK_DISABLED=true: the OpenTelemetry API stays a no-op. */
  readonly enabled: boolean;
  /**
   * True when log records are exported (OTEL_LOGS_EXPORTER is not `none`): the service's
   * logger then also hands its records to the OpenTelemetry logs SDK.
   */
  readonly exportsLogRecords: boolean;
  /**
   * True when the core makes each request's server span (`traceRequests`, mounted first by
   * `createServiceApp`): the SDK is on and OTEL_NODE_ENABLED_INSTRUMENTATIONS /
   * OTEL_NODE_DISABLED_INSTRUMENTATIONS did not hand the HTTP server side to
   * auto-instrumentations-node.
   */
  readonly tracesRequests: boolean;
  /**
   * The share of sessions traced, 0 to 1: `OTEL_TRACES_SAMPLER_ARG` when
   * `OTEL_TRACES_SAMPLER=parentbased_session_ratio`, otherwise 1 (also when disabled). A
   * browser given it applies the same rule (`isSessionSampled`) to its own spans, so browser
   * and backend trace the same sessions. Under the other samplers it says nothing about which
   * requests are traced: those decide per trace, not per session.
   */
  readonly sessionSampleRatio: number;
  /**
   * Where spans and log records go, for a person: `off` when disabled, else per signal the
   * OTLP endpoint and protocol (credentials and query left out), `console`, or an in-process
   * exporter; `none` when nothing is exported.
   */
  readonly destination: string;
  /** Exports every finished span and emitted log record now. */
  forceFlush(): Promise<void>;
  /** Counts of exported, dropped and failed spans and log records since start. */
  delivery(): Promise<TelemetryDelivery>;
  /**
   * Flushes and stops, giving up after `timeoutMs`, or as soon as every OTLP endpoint in use
   * refuses connections (nothing listens there: the exporters' retries could only fail, and
   * took 8 s). Failures become warnings; a shutdown that gives up warns how many spans and log
   * records it leaves unexported. A collector that accepts connections gets the whole budget.
   */
  shutdown(timeoutMs: number): Promise<void>;
}

/**
 * Starts the OpenTelemetry SDK: standard OTEL_* configuration, the session span processor,
 * the session baggage propagator, session sampling when OTEL_TRACES_SAMPLER asks for
 * `parentbased_session_ratio`, log record export (OTEL_LOGS_EXPORTER, `otlp` by default, to
 * the same collector as traces), and counting of lost spans and log records.
 *
 * At an untrusted edge (`baggagePolicy.trustIncomingBaggage` false) a caller's trace context
 * is held to the edge's rules: its trace id is kept, its sampled flag does not decide (the
 * configured sampler decides as for a root: `EdgeSampler`), and its `tracestate` is dropped
 * (`EdgeTraceContextPropagator`). A trusted service follows its caller's decision.
 *
 * Metrics stay off unless OTEL_METRICS_EXPORTER asks for them.
 */
export function startTelemetry(options: TelemetryOptions): Telemetry {
  if (getBooleanFromEnv('OTEL_SDK_DISABLED')) return disabledTelemetry;

  const lossMonitor = new TelemetryLossMonitor();
  const inFlight: InFlightCounts = { spans: 0, logRecords: 0 };
  const exportingProcessors = createExportingSpanProcessors(options.spanExporter, lossMonitor.meterProvider, inFlight);
  const logRecordProcessors = createExportingLogRecordProcessors(options.logRecordExporter, lossMonitor.meterProvider, inFlight);
  const destinations = otlpDestinationsFromEnv().filter((destination) =>
    destination.signal === 'traces' ? options.spanExporter === undefined : options.logRecordExporter === undefined,
  );
  const bridge = options.sessionBridge ?? true;
  const lengthLimitFromEnv = ['OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'].some(
    (name) => getStringFromEnv(name) !== undefined,
  );
  const { sampler, sessionSampleRatio, decidesBySession } = samplerFromEnv();
  // An edge decides by its own sampler, whatever flag or tracestate a caller sends.
  const trusted = options.baggagePolicy.trustIncomingBaggage;
  // Session sampling decides a trace when its root span ends, by the session it ended in.
  const deciding = decidesBySession
    ? [new SessionSampledSpanProcessor({ ratio: sessionSampleRatio, decidesRemoteParents: !trusted, next: exportingProcessors })]
    : exportingProcessors;
  const traceContext = trusted ? new W3CTraceContextPropagator() : new EdgeTraceContextPropagator();
  const sdk = new NodeSDK({
    resource: defaultResource().merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: options.defaultServiceName,
        [ATTR_SERVICE_VERSION]: options.serviceVersion,
      }),
    ),
    instrumentations: options.instrumentations(),
    sampler: trusted ? sampler : new EdgeSampler(sampler),
    // No client-supplied value (a user agent, a URL) makes a span attribute longer than this.
    ...(lengthLimitFromEnv ? {} : { spanLimits: { attributeValueLengthLimit: DEFAULT_ATTRIBUTE_VALUE_LENGTH_LIMIT } }),
    // The session processor runs first so exporters see the session attributes.
    spanProcessors: bridge ? [new SessionSpanProcessor(), ...deciding] : deciding,
    textMapPropagator: new CompositePropagator({
      propagators: [
        decidesBySession ? new SessionSampledFlagPropagator(traceContext) : traceContext,
        new SessionBaggagePropagator(options.baggagePolicy),
      ],
    }),
    ...(getStringFromEnv('OTEL_METRICS_EXPORTER') === undefined ? { metricReaders: [] } : {}),
    // The limit first, so every exporter sees the values cut; under session sampling, the
    // record's trace flags say the session's decision, as its line's do.
    logRecordProcessors:
      logRecordProcessors.length === 0
        ? []
        : [
            new LogValueLimitProcessor(options.logValueLengthLimit ?? DEFAULT_LOG_VALUE_LENGTH_LIMIT),
            ...(decidesBySession ? [new SessionSampledLogRecordProcessor()] : []),
            ...logRecordProcessors,
          ],
  });
  sdk.start();
  // A log line says whether its trace is kept, which session sampling decides late; and a
  // trace belongs to one session, so runWithSession for another one starts traces apart.
  readTraceFlagsWith(decidesBySession ? decidedTraceFlags : undefined);
  startSessionTracesApart(decidesBySession);
  if (logRecordProcessors.length > 0) shareLoggerProviderWithLegacyLogsApi();
  lossMonitor.startReporting(options.lossReportIntervalMs ?? 10_000);

  const flushing = [...exportingProcessors, ...logRecordProcessors];
  return {
    enabled: true,
    exportsLogRecords: logRecordProcessors.length > 0,
    tracesRequests: options.tracesRequests ?? true,
    sessionSampleRatio,
    destination: describeDestination(options, destinations),
    forceFlush: () => Promise.all(flushing.map((p) => p.forceFlush())).then(noop, warn('flush')),
    // After shutdown the reader is gone; /readyz must still answer.
    delivery: () => lossMonitor.delivery().catch(() => NO_DELIVERY),
    shutdown: async (timeoutMs) => {
      const stopped = sdk.shutdown().then(
        () => 'stopped' as const,
        (error: unknown) => {
          warn('shutdown')(error);
          return 'stopped' as const;
        },
      );
      const endpoints = destinations.map((destination) => destination.endpoint);
      // Settles only when every endpoint refuses: otherwise the flush gets the whole budget.
      const refused = collectorRefuses(endpoints).then((refuses) => (refuses ? ('refused' as const) : new Promise<never>(noop)));
      const outcome = await Promise.race([stopped, refused, delay(timeoutMs).then(() => 'deadline' as const)]);
      const lost = `${inFlight.spans} spans and ${inFlight.logRecords} log records not exported are lost`;
      if (outcome === 'deadline') diag.warn(`Telemetry shutdown gave up after ${timeoutMs} ms; ${lost}`);
      if (outcome === 'refused') {
        diag.warn(`Telemetry shutdown did not wait: nothing accepts connections at ${endpoints.map(withoutSecrets).join(', ')}; ${lost}`);
      }
      await lossMonitor.report();
      await lossMonitor.shutdown().catch(warn('shutdown of the loss monitor'));
    },
  };
}

/** Telemetry that does nothing: OTEL_SDK_DISABLED=true, or no preload started any. */
export const disabledTelemetry: Telemetry = {
  enabled: false,
  exportsLogRecords: false,
  tracesRequests: false,
  sessionSampleRatio: 1,
  destination: 'off',
  forceFlush: () => Promise.resolve(),
  delivery: () => Promise.resolve(NO_DELIVERY),
  shutdown: () => Promise.resolve(),
};

/**
 * {@link Telemetry.destination} of the exporters the options and variables choose; `otlp`, the
 * OTLP destinations of the signals whose exporter the variables choose.
 */
function describeDestination(options: TelemetryOptions, otlp: readonly OtlpDestination[]): string {
  const parts: string[] = [];
  for (const [signal, given, variable] of [
    ['traces', options.spanExporter, 'TRACES'],
    ['logs', options.logRecordExporter, 'LOGS'],
  ] as const) {
    if (given !== undefined) {
      parts.push(`${signal} to an in-process exporter`);
      continue;
    }
    for (const name of exporterNamesFromEnv(variable)) {
      const destination = otlp.find((candidate) => candidate.signal === signal);
      parts.push(
        name === 'console' || destination === undefined
          ? `${signal} to the console`
          : `${signal} to ${withoutSecrets(destination.endpoint)} (OTLP ${destination.protocol})`,
      );
    }
  }
  return parts.length === 0 ? 'none' : parts.join(', ');
}

/** An endpoint fit for a log line: without user, password, query or fragment. */
function withoutSecrets(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.username === '' && url.password === '' && url.search === '' && url.hash === '') return endpoint;
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.href;
  } catch {
    // A gRPC target without a scheme (host:port) carries none of them.
    return endpoint.replace(/^.*@/, '');
  }
}

function noop(): void {
  // Resolves to nothing.
}

function warn(action: string): (error: unknown) => undefined {
  return (error) => {
    diag.warn(`Telemetry ${action} failed; spans or log records may be lost`, error);
    return undefined;
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
