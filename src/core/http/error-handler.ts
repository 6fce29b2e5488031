import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/index.ts';
import { requestTargetRedactor } from './redact-request-target.ts';
import { toHttpError } from './to-http-error.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: string;
  readonly message: string;
}

/** Answers 404 in JSON. The path is not echoed: it is client input. */
export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ error: 'not_found', message: 'No route matches this method and path' } satisfies ErrorBody);
};

/**
 * The last middleware: every error becomes a JSON answer with a documented status (see
 * {@link toHttpError}), never an HTML page or a stack trace. Client errors (4xx) are logged
 * at info level by status and code only: their messages can quote the path or the body.
 * Server errors are logged in full at error level, with the request path cut out of the
 * message and stack: it is client input, and the access line names the route.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = toHttpError(error);
    if (answer.status >= 500) logger.error('request failed', describe(error, req.originalUrl));
    else logger.info('request rejected', { 'http.response.status_code': answer.status, 'error.type': answer.code });
    res.status(answer.status).json({ error: answer.code, message: answer.message } satisfies ErrorBody);
  };
}

/**
 * The fault as OpenTelemetry's exception attributes: the same names in the JSON line and in
 * the exported log record (an `error` object would be taken apart by the winston bridge,
 * which keeps only its message and stack).
 */
function describe(error: unknown, requestTarget: string): Record<string, string | undefined> {
  if (!(error instanceof Error)) return { 'exception.type': typeof error };
  const redact = requestTargetRedactor(requestTarget);
  const stack = error.stack === undefined ? undefined : redact(error.stack);
  return { 'exception.type': error.name, 'exception.message': redact(error.message), 'exception.stacktrace': stack };
}
