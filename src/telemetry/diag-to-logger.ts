import { inspect } from 'node:util';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import type { Logger } from '../logging/logger.ts';

type Level = 'error' | 'warn' | 'info' | 'debug';

/**
 * Sends the OpenTelemetry diagnostic messages (export failures, lost spans) into the
 * service's JSON log at `warn` and above, tagged `component: "opentelemetry"`, so that
 * telemetry trouble shows where operators look.
 *
 * Installed before the SDK starts, it holds messages until {@link attach} gives it the
 * logger: the logger (winston) may only be imported after the instrumentations are
 * registered, or winston would escape them. OTEL_LOG_LEVEL, when set, makes the SDK install
 * its own console logger instead.
 */
export class DiagnosticsToLogger {
  #logger: Logger | undefined;
  readonly #pending: [Level, string, unknown[]][] = [];

  /** Becomes the global OpenTelemetry diagnostic logger, at `warn`. */
  install(): this {
    const forward = (level: Level) => (message: string, ...args: unknown[]) => {
      this.#write(level, message, args);
    };
    const diagLogger: DiagLogger = {
      error: forward('error'),
      warn: forward('warn'),
      info: forward('info'),
      debug: forward('debug'),
      verbose: forward('debug'),
    };
    diag.setLogger(diagLogger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    return this;
  }

  /** Writes what was held back, then everything that follows, to `logger`. */
  attach(logger: Logger): void {
    this.#logger = logger;
    for (const [level, message, args] of this.#pending.splice(0)) this.#write(level, message, args);
  }

  #write(level: Level, message: string, args: unknown[]): void {
    if (this.#logger === undefined) {
      this.#pending.push([level, message, args]);
      return;
    }
    this.#logger.log(level, message, { component: 'opentelemetry', details: args.map(describe) });
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  // inspect, not JSON.stringify: diagnostic arguments can be cyclic (responses, sockets).
  return typeof value === 'string' ? value : inspect(value, { depth: 2, breakLength: Infinity });
}
