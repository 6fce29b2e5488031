import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/index.ts';
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
  const spellings = pathSpellings(requestTarget);
  const stack = error.stack === undefined ? undefined : redact(error.stack, spellings);
  return { 'exception.type': error.name, 'exception.message': redact(error.message, spellings), 'exception.stacktrace': stack };
}

/**
 * The spellings of the request target that an error message may quote: the whole target, its
 * query, and its path from each `/` on (a router's `req.path` is the part below its mount
 * path), raw and percent-decoded; longest first, so the longest quote is cut whole.
 */
function pathSpellings(requestTarget: string): string[] {
  const queryAt = requestTarget.indexOf('?');
  const path = queryAt === -1 ? requestTarget : requestTarget.slice(0, queryAt);
  const raw = [requestTarget, queryAt === -1 ? '' : requestTarget.slice(queryAt)];
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) raw.push(path.slice(slash));
  const spellings = new Set(raw);
  for (const spelling of raw) {
    try {
      spellings.add(decodeURIComponent(spelling));
    } catch {
      // Not decodable: only the raw spelling can appear.
    }
  }
  // Two characters or fewer ("/", "/a") would cut unrelated text out of a stack trace.
  return [...spellings].filter((spelling) => spelling.length > 2).sort((a, b) => b.length - a.length);
}

function redact(text: string, spellings: readonly string[]): string {
  return spellings.reduce((result, spelling) => result.replaceAll(spelling, '[request path]'), text);
}
