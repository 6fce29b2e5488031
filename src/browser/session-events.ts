import type { Logger } from '@opentelemetry/api';
import type { SessionChange } from './browser-session.ts';

/**
 * A session listener that emits the semantic conventions' session events through `logger`,
 * as log records with `eventName`: `session.end` (attribute `session.id` of the session
 * that ended, at the time it ended) when one session replaces another, then `session.start`
 * (`session.id`, and `session.previous_id` when it replaces a session). A change made by
 * another page of the browser (`another-page`) emits nothing: that page emitted them.
 */
export function sessionEventEmitter(logger: Logger): (change: SessionChange) => void {
  return function emitSessionEvents({ reason, current, ended, endTimestamp }) {
    if (reason === 'another-page') return;
    if (ended !== undefined) {
      logger.emit({ eventName: 'session.end', timestamp: endTimestamp ?? current.startTimestamp, attributes: { 'session.id': ended.id } });
    }
    logger.emit({
      eventName: 'session.start',
      timestamp: current.startTimestamp,
      attributes: current.previousId === undefined ? { 'session.id': current.id } : { 'session.id': current.id, 'session.previous_id': current.previousId },
    });
  };
}
