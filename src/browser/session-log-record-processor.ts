import type { Context } from '@opentelemetry/api';
import type { LogRecordProcessor, ReadWriteLogRecord } from '@opentelemetry/sdk-logs';
import type { BrowserSession } from './browser-session.ts';

/**
 * Puts `session.id` (and `session.previous_id` when the session replaced another) on every
 * log record that has no `session.id` of its own; the session events carry their own (a
 * `session.end` names the session that ended, not the current one). Put it before the
 * exporting processor. Emitting a record is not activity.
 */
export class SessionLogRecordProcessor implements LogRecordProcessor {
  readonly #currentSession: () => BrowserSession;

  /** @param currentSession the current session, read at each record. */
  constructor(currentSession: () => BrowserSession) {
    this.#currentSession = currentSession;
  }

  onEmit(logRecord: ReadWriteLogRecord, _context?: Context): void {
    if (logRecord.attributes['session.id'] !== undefined) return;
    const session = this.#currentSession();
    logRecord.setAttribute('session.id', session.id);
    if (session.previousId !== undefined) logRecord.setAttribute('session.previous_id', session.previousId);
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
