import { BATCH_PROCESSOR_PREFIXES, readBatchProcessorVariables } from './batch-processor-variables.ts';
import { readConfigFrom, type Env, type EnvReader } from './env-reader.ts';

/** Values accepted by NODE_ENV, in any letter case. */
export const NODE_ENVS = ['development', 'test', 'production'] as const;
export type NodeEnv = (typeof NODE_ENVS)[number];

/** Log levels accepted by LOG_LEVEL (winston's npm levels). */
export const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Values accepted by LOG_FORMAT: `auto` (readable lines when stdout is a terminal, JSON
 * elsewhere), `json`, `pretty` (readable lines).
 */
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;
export type LogFormatSetting = (typeof LOG_FORMATS)[number];

/**
 * Longest string value of a log line and of an exported log record's attribute when neither
 * OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT nor OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT is set
 * (the SDK's own default is no limit). Larger than the spans' 1,024: a log line is where a
 * whole stack trace belongs (Node keeps 10 frames, 0.7 to 1.5 KB with this project's paths),
 * and 4,096 still bounds what one client-supplied value adds to a line.
 */
export const DEFAULT_LOG_VALUE_LENGTH_LIMIT = 4096;

/** Largest value accepted for the log value length limit: a billion characters, in effect none. */
const MAX_LOG_VALUE_LENGTH_LIMIT = 1_000_000_000;

/** The spans' own limit variable (OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT is read with the log limit). */
const SPAN_VALUE_LENGTH_LIMIT = 'OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT';

/** Hosts outgoing calls may carry baggage to when BAGGAGE_ALLOWED_HOSTS is unset: loopback only. */
export const DEFAULT_BAGGAGE_ALLOWED_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/**
 * What every service configures, read once from the environment at startup. A service's own
 * variables are read the same way (`readConfigFrom` with an `EnvReader`), next to these.
 *
 * OTEL_* variables are deliberately absent: they belong to the OpenTelemetry SDK, which reads
 * them itself. Two exceptions: {@link CoreConfig.logValueLengthLimit}, since the same limit
 * also bounds the JSON lines on stdout, which the SDK does not write; and the batch processors'
 * variables (OTEL_BSP_*, OTEL_BLRP_*), which the core reads for the SDK: they are checked when
 * this configuration is read.
 */
export interface CoreConfig {
  /** NODE_ENV: `development` (default), `test` or `production`, read in any case, stored lower case. */
  readonly nodeEnv: NodeEnv;
  /** PORT: TCP port to listen on, default 3000 (0 picks a free port). */
  readonly port: number;
  /** HOST: interface to bind, default `0.0.0.0`. */
  readonly host: string;
  /** LOG_LEVEL: winston npm level, default `info`. */
  readonly logLevel: LogLevel;
  /**
   * LOG_FORMAT: `auto` (default: readable lines when stdout is a terminal, one JSON object per
   * line elsewhere), `json` or `pretty` (readable lines, whatever stdout is).
   */
  readonly logFormat: LogFormatSetting;
  /**
   * LOG_HEALTH_PROBES: `true` writes an access line for each health probe (`/healthz`,
   * `/readyz`) too. Default `false`: orchestrators probe every few seconds, and those lines
   * would bury the requests.
   */
  readonly logHealthProbes: boolean;
  /**
   * TRUST_INCOMING_BAGGAGE: `true` for an internal service whose callers are other services
   * of the system: `user.id` and other entries of incoming baggage are admitted (where the
   * baggage is extracted, for the whole process), adopted and forwarded. Default `false`: an
   * edge admits only a valid `session.id` and never trusts identity claimed by a client.
   */
  readonly trustIncomingBaggage: boolean;
  /** PROPAGATE_USER_ID: put `user.id` into outgoing baggage, default `false`. */
  readonly propagateUserId: boolean;
  /**
   * BAGGAGE_ALLOWED_HOSTS: comma-separated host names that outgoing HTTP calls may carry
   * baggage to; any other host gets none. Default {@link DEFAULT_BAGGAGE_ALLOWED_HOSTS}
   * (loopback): list the services you call.
   */
  readonly baggageAllowedHosts: ReadonlySet<string>;
  /** JSON_BODY_LIMIT: largest accepted JSON body, above zero, default `100kb` (bigger answers 413). */
  readonly jsonBodyLimit: string;
  /** SHUTDOWN_TIMEOUT_MS: how long SIGTERM waits for requests and telemetry, default 10000. */
  readonly shutdownTimeoutMs: number;
  /**
   * SESSION_TELEMETRY_BRIDGE: `false` leaves out the session span processor, to measure what
   * it costs. The baggage policy applies either way. Default `true`.
   */
  readonly sessionTelemetryBridge: boolean;
  /**
   * BROWSER_TELEMETRY_OTLP_ENDPOINT: the collector's OTLP/HTTP base URL for the browser
   * telemetry relay (`/v1/traces` and `/v1/logs` are appended), an http(s) URL without
   * credentials. Unset (the default): the relay posts where the service's own OTLP exporters
   * do. Needed only when those export over gRPC, whose endpoint is not an OTLP/HTTP one.
   * Read whether or not the relay is on (`startService`'s `browserTelemetry`).
   */
  readonly browserTelemetryOtlpEndpoint: URL | undefined;
  /**
   * OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT, else OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT (the
   * specification's variables, which the SDK reads too), else
   * {@link DEFAULT_LOG_VALUE_LENGTH_LIMIT}: the longest string value, in characters (UTF-16
   * code units, as the SDK counts), of a log line's message and fields on stdout and of an
   * exported log record's attributes. Each variable, when set, must be an integer from 1:
   * anything else stops startup (the SDK would ignore it and export values of any length).
   */
  readonly logValueLengthLimit: number;
}

/**
 * Reads and validates the core configuration.
 * @throws {ConfigError} listing every problem, so one restart fixes them all.
 */
export function readCoreConfig(env: Env): CoreConfig {
  return readConfigFrom(env, (read) => {
    const config = coreVariables(read);
    // Read by the telemetry (batchingFromEnv), checked here too: an invalid one stops
    // start-up like any other variable, before the telemetry starts.
    for (const prefix of BATCH_PROCESSOR_PREFIXES) readBatchProcessorVariables(read, prefix);
    // The SDK ignores a bad span limit and then cuts nothing, and a set one replaces the
    // core's default of 1,024 (startTelemetry): refused like the log limit.
    read.optionalInteger(SPAN_VALUE_LENGTH_LIMIT, 1, MAX_LOG_VALUE_LENGTH_LIMIT);
    return config;
  });
}

function coreVariables(read: EnvReader): CoreConfig {
  return {
    nodeEnv: read.oneOfAnyCase('NODE_ENV', NODE_ENVS, 'development'),
    port: read.integer('PORT', 3000, 0, 65535),
    host: read.string('HOST', '0.0.0.0'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    logFormat: read.oneOf('LOG_FORMAT', LOG_FORMATS, 'auto'),
    logHealthProbes: read.boolean('LOG_HEALTH_PROBES', false),
    trustIncomingBaggage: read.boolean('TRUST_INCOMING_BAGGAGE', false),
    propagateUserId: read.boolean('PROPAGATE_USER_ID', false),
    baggageAllowedHosts: read.hostList('BAGGAGE_ALLOWED_HOSTS', DEFAULT_BAGGAGE_ALLOWED_HOSTS),
    // At least one non-zero digit: a limit of 0 would answer 413 to every JSON body.
    jsonBodyLimit: read.matching('JSON_BODY_LIMIT', /^0*[1-9]\d*(b|kb|mb)$/i, '100kb', 'a size above zero in b, kb or mb, such as 100kb or 1mb'),
    shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    sessionTelemetryBridge: read.boolean('SESSION_TELEMETRY_BRIDGE', true),
    browserTelemetryOtlpEndpoint: read.httpUrl('BROWSER_TELEMETRY_OTLP_ENDPOINT'),
    logValueLengthLimit: logValueLengthLimit(read),
  };
}

/**
 * The log value length limit as the SDK resolves it (the log record variable first, then the
 * general one), each variable validated when it is set, whether or not it is the one used.
 */
function logValueLengthLimit(read: EnvReader): number {
  const [own, general] = ['OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT', 'OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT'].map((name) =>
    read.optionalInteger(name, 1, MAX_LOG_VALUE_LENGTH_LIMIT),
  );
  return own ?? general ?? DEFAULT_LOG_VALUE_LENGTH_LIMIT;
}
