/** Structured JSON logging that carries the session and the trace. */
export { createLogger, type Logger, type LoggerOptions } from './logger.ts';
export { contextLogFields } from './context-log-fields.ts';
