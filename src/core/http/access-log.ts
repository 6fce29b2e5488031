import { performance } from 'node:perf_hooks';
import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { currentSessionStore, runInSessionStore, type SessionStore } from '../context/index.ts';
import type { Logger } from '../logging/index.ts';
import { matchedRoute } from './matched-route.ts';

/** What the access line needs of its request, kept on the response (one object, no closure). */
interface PendingLine {
  readonly logger: Logger;
  readonly startedAt: number;
  readonly session: SessionStore | undefined;
}

const PENDING = Symbol('accessLine');

type LoggedResponse = ServerResponse & { req: Request; [PENDING]?: PendingLine | undefined };

/** Options of {@link accessLog}; every field is optional. */
export interface AccessLogOptions {
  /**
   * Requests that get no access line: `skip(req)` true leaves the request out. Default none
   * skipped. `createServiceApp` skips the health probes unless LOG_HEALTH_PROBES is on: a
   * probe every few seconds would otherwise fill the log with lines that tell nothing.
   */
  readonly skip?: (req: Request) => boolean;
}

/**
 * Express middleware writing one line per request, with `http.request.method`, `http.route`
 * (the matched route template, never the raw URL; see `nameRoutes`), `http.response.status_code` and
 * `duration_ms`: `request completed` once the response is sent, or `request aborted` when
 * the connection closed first. Mount it after the session middleware so the line carries
 * the session.
 *
 * Per request it adds one shared 'close' listener and one small record: Node emits 'close'
 * on every response, after 'finish' when it was sent.
 */
export function accessLog(logger: Logger, options: AccessLogOptions = {}): RequestHandler {
  const { skip } = options;
  return function accessLogMiddleware(req, res, next) {
    if (skip?.(req) === true) {
      next();
      return;
    }
    const pending: PendingLine = { logger, startedAt: performance.now(), session: currentSessionStore() };
    (res as LoggedResponse)[PENDING] = pending;
    // `on`, not `once`: `once` wraps the listener anew for every request; the record it
    // clears makes the line written once either way.
    res.on('close', writeAccessLine);
    next();
  };
}

function writeAccessLine(this: LoggedResponse): void {
  const pending = this[PENDING];
  if (pending === undefined) return;
  this[PENDING] = undefined;
  // 'close' fires from socket callbacks, outside the middleware's async context: re-enter
  // the session so the line carries it (the trace fields come with the listener's context,
  // which the core's server span middleware binds to the request).
  if (pending.session === undefined) log(this, pending);
  else runInSessionStore(pending.session, log, this, pending);
}

function log(res: LoggedResponse, pending: PendingLine): void {
  pending.logger.info(res.writableFinished ? 'request completed' : 'request aborted', {
    'http.request.method': res.req.method,
    'http.route': matchedRoute(res.req),
    'http.response.status_code': res.statusCode,
    duration_ms: Math.round((performance.now() - pending.startedAt) * 10) / 10,
  });
}
