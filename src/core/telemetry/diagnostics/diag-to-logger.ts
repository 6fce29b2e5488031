import { inspect } from 'node:util';
import { diag, DiagLogLevel, type DiagLogger } from '@opentelemetry/api';
import { setGlobalErrorHandler } from '@opentelemetry/core';
import { runOutsideSession } from '../../context/index.ts';
import type { Logger } from '../../logging/index.ts';
import { describeTelemetryError, telemetryErrorReason } from './describe-telemetry-error.ts';
import { TELEMETRY_LOSS_REPORT } from './telemetry-loss-monitor.ts';

/** Options of {@link DiagnosticsToLogger}. */
export interface DiagnosticsOptions {
  /** The same message is written at most once per this many ms. Default 30 s. */
  readonly repeatIntervalMs?: number;
}

/**
 * Sends the OpenTelemetry diagnostic messages (export failures, lost spans) into the
 * service's JSON log as warnings, tagged `component: "opentelemetry"`, so that telemetry
 * trouble shows where operators look, and is never mistaken for a failed request.
 *
 * Each line is one readable sentence: the SDK's export errors are described by
 * {@link describeTelemetryError} rather than dumped as JSON, and a message's arguments are
 * folded into it. Lines are written outside any session and trace: the exporter's timer runs
 * in whichever request first ended a span, and its failures are not that request's.
 *
 * A message repeating (an unreachable collector fails every export) is written once per
 * interval, with `repeated` counting the copies held back since the last one; messages that
 * differ only in their numbers or ids count as the same. Loss reports
 * ({@link TELEMETRY_LOSS_REPORT}) are all written: the loss monitor limits them itself, and
 * each carries counts no later one repeats.
 *
 * Installed before the SDK starts, it holds messages until {@link attach} gives it the
 * logger: the logger (winston) may only be imported after the instrumentations are
 * registered, or winston would escape them. OTEL_LOG_LEVEL, when set, makes the SDK install
 * its own console logger instead.
 */
export class DiagnosticsToLogger {
  #logger: Logger | undefined;
  readonly #pending: [string, unknown[]][] = [];
  readonly #repeatIntervalMs: number;
  readonly #lastWritten = new Map<string, { at: number; held: number }>();

  constructor(options: DiagnosticsOptions = {}) {
    this.#repeatIntervalMs = options.repeatIntervalMs ?? 30_000;
  }

  /** Becomes the global OpenTelemetry diagnostic logger, at `warn`, and the SDK's error handler. */
  install(): this {
    const forward = (message: string, ...args: unknown[]): void => {
      this.#write(message, args);
    };
    const ignore = (): void => undefined;
    const diagLogger: DiagLogger = { error: forward, warn: forward, info: ignore, debug: ignore, verbose: ignore };
    diag.setLogger(diagLogger, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
    setGlobalErrorHandler((error) => {
      this.#write(describeTelemetryError(error), []);
    });
    return this;
  }

  /** Writes what was held back, then everything that follows, to `logger`. */
  attach(logger: Logger): void {
    this.#logger = logger;
    for (const [message, args] of this.#pending.splice(0)) this.#write(message, args);
  }

  #write(message: string, args: unknown[]): void {
    if (this.#logger === undefined) {
      this.#pending.push([message, args]);
      return;
    }
    const now = Date.now();
    const key = messageShape(message);
    const last = message.startsWith(TELEMETRY_LOSS_REPORT) ? undefined : this.#lastWritten.get(key);
    if (last !== undefined && now - last.at < this.#repeatIntervalMs) {
      last.held++;
      return;
    }
    if (this.#lastWritten.size >= MAX_TRACKED_MESSAGES) this.#lastWritten.clear();
    this.#lastWritten.set(key, { at: now, held: 0 });
    const logger = this.#logger;
    const text = args.length === 0 ? message : `${message}: ${args.map(describe).join('; ')}`;
    const fields = { component: 'opentelemetry', ...(last !== undefined && last.held > 0 ? { repeated: last.held } : {}) };
    runOutsideSession(() => logger.warn(text, fields));
  }
}

/** Distinct message shapes remembered for rate limiting; beyond this the memory starts over. */
const MAX_TRACKED_MESSAGES = 256;

/**
 * The message with its numbers and ids blanked out: "Dropped 12 spans" and "Dropped 40 spans"
 * are the same message for rate limiting.
 */
function messageShape(message: string): string {
  return message.replace(/[0-9a-f]{8,}|\d+/gi, '#');
}

function describe(value: unknown): string {
  if (value instanceof Error) return telemetryErrorReason(value);
  // inspect, not JSON.stringify: diagnostic arguments can be cyclic (responses, sockets).
  return typeof value === 'string' ? value : inspect(value, { depth: 2, breakLength: Infinity });
}
