import type { Writable } from 'node:stream';
import winston from 'winston';
import type { LogLevel } from '../config/index.ts';
import { sessionLogFields } from './session-log-fields.ts';

/** The logger type used across the service. */
export type Logger = winston.Logger;

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** Where the JSON lines go. Default: stdout. Tests pass a stream to read them back. */
  readonly stream?: Writable;
}

/**
 * A winston logger writing one JSON object per line.
 *
 * Every line carries `timestamp`, `level`, `message`, the current session's `session.id` and
 * `user.id`, and, inside a traced operation, `trace_id`, `span_id` and `trace_flags` (added
 * by the OpenTelemetry winston instrumentation). JSON encoding escapes control characters, so
 * no logged value can start a new line or forge a field.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  // winston's typings declare its transports as interfaces, which this lint rule misreads.
  /* eslint-disable @typescript-eslint/no-unsafe-class-instance-assignment */
  const transport: winston.transport =
    options.stream === undefined
      ? new winston.transports.Console()
      : new winston.transports.Stream({ stream: options.stream });
  /* eslint-enable @typescript-eslint/no-unsafe-class-instance-assignment */
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: sessionLogFields(),
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [transport],
  });
}
