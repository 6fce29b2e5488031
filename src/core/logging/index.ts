/** Structured JSON logging that carries the session and the trace. */
export { createLogger, type Logger, type LoggerOptions } from './logger.ts';
export { accessLog, nameRoutesWithMountPath } from './access-log.ts';
export { sessionLogFields } from './session-log-fields.ts';
