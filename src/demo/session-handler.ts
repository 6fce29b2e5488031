import { setImmediate as nextTurn } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { getByKey, type Logger, SessionMapKey } from '../core/index.ts';

/** What `GET /api/session` answers. */
export interface SessionView {
  readonly sessionId: string | null;
  readonly userId: string | null;
  readonly traceId: string | null;
}

/**
 * `GET /api/session`: the session as the context holds it, read after a real async hop
 * (one turn of the event loop), which is where a broken context would show.
 */
export function sessionHandler(logger: Logger): RequestHandler {
  return async function readSession(_req, res) {
    await nextTurn();
    const view: SessionView = {
      sessionId: getByKey(SessionMapKey.SESSION_ID) ?? null,
      userId: getByKey(SessionMapKey.USER_ID) ?? null,
      traceId: trace.getActiveSpan()?.spanContext().traceId ?? null,
    };
    logger.debug('session read');
    res.json(view);
  };
}
