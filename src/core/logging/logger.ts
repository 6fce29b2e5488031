import type { Writable } from 'node:stream';
import { OpenTelemetryTransportV3 } from '@opentelemetry/winston-transport';
import winston from 'winston';
import { DEFAULT_LOG_VALUE_LENGTH_LIMIT, type LogLevel } from '../config/index.ts';
import { jsonLineFormat } from './json-line-format.ts';
import type { LogFormat } from './log-format.ts';
import { readableLineFormat } from './readable-line-format.ts';
import { JsonLinesTransport } from './json-lines-transport.ts';
import { contextLogFields } from './context-log-fields.ts';

/** The logger type used across the service. */
export type Logger = winston.Logger;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** Where the JSON lines go. Default: stdout. Tests pass a stream to read them back. */
  readonly stream?: Writable;
  /**
   * Also hand every record to the OpenTelemetry logs SDK (as a log record with the session,
   * the trace and the record's fields), through OpenTelemetry's winston bridge. Default
   * `false`; `startService` turns it on when the telemetry exports log records. The JSON lines
   * are the same either way.
   */
  readonly exportRecords?: boolean;
  /**
   * `json` (default): one JSON object per line. `pretty`: readable lines for a terminal
   * (`readableLineFormat`); choose with `chooseLogFormat` (LOG_FORMAT and whether stdout is a
   * terminal). Exported log records are the same either way.
   */
  readonly format?: LogFormat;
  /**
   * Longest string of a line: its message, and its fields' values and keys at any depth; a
   * longer one is cut and ends with `…[N more characters]`. The exported record's body and
   * attributes are the same values. Default {@link DEFAULT_LOG_VALUE_LENGTH_LIMIT};
   * `startService` passes the configured one (OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT).
   */
  readonly valueLengthLimit?: number;
}

/**
 * A winston logger writing one JSON object per line.
 *
 * Every line carries `timestamp`, `level`, `message`, the current session's `session.id` and
 * `user.id`, and, inside a traced operation, `trace_id`, `span_id` and `trace_flags`
 * ({@link contextLogFields}). No field a caller logs replaces one of these: a caller's field
 * of such a name is kept as `meta.<name>` (`loggedRecord`). JSON encoding escapes control
 * characters, so no logged value can start a new line or forge a field; strings longer than
 * `valueLengthLimit` are cut. Lines are written at the end of the event-loop turn
 * that logged them (see {@link JsonLinesTransport}). With `exportRecords`, each record is also
 * exported as an OpenTelemetry log record by OpenTelemetry's maintained winston bridge: severity
 * from the level, body from the message, every other field an attribute (`trace_id`,
 * `span_id` and `trace_flags` left out: the record carries its trace natively, taken from
 * the context the line was logged in, which {@link contextLogFields} keeps with the record).
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  // winston's typings declare its transports as interfaces, which this lint rule misreads.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  const transports: winston.transport[] = [new JsonLinesTransport(options.stream)];
  const exportRecords = options.exportRecords === true;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  if (exportRecords) transports.push(new OpenTelemetryTransportV3());
  const logger = winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: contextLogFields(exportRecords),
    format: (options.format === 'pretty' ? readableLineFormat : jsonLineFormat)({
      valueLengthLimit: options.valueLengthLimit ?? DEFAULT_LOG_VALUE_LENGTH_LIMIT,
    }),
    transports,
  });
  skipDisabledLevels(logger);
  return logger;
}

/**
 * Makes `logger.debug(…)` below the logger's level return at once. winston itself builds the
 * record, copies the session fields and runs every format before its transport drops the
 * record by level: a `debug` line per request cost as much as the access line.
 */
function skipDisabledLevels(logger: Logger): void {
  for (const level of Object.keys(logger.levels)) {
    const write = (logger as unknown as Record<string, (...args: unknown[]) => Logger>)[level];
    if (write === undefined) continue;
    Object.defineProperty(logger, level, {
      configurable: true,
      writable: true,
      value(this: Logger, ...args: unknown[]): Logger {
        return this.isLevelEnabled(level) ? write.apply(this, args) : this;
      },
    });
  }
}
