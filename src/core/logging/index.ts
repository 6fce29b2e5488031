/** Structured JSON logging that carries the session and the trace. */
export { createLogger, type Logger, type LoggerOptions } from './logger.ts';
export { contextLogFields } from './context-log-fields.ts';
export { chooseLogFormat, type LogFormat } from './log-format.ts';
export { readableLineFormat } from './readable-line-format.ts';
export { removeInvisibleCharacters } from './invisible-characters.ts';
export { readTraceFlagsWith, type TraceFlagsReader } from './trace-flags.ts';
