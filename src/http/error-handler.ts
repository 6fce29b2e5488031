import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logging/logger.ts';
import { HttpError } from './http-error.ts';

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
 * The last middleware: every error becomes a JSON answer with a documented status, never an
 * HTML page or a stack trace. Client errors are logged by type only (a parse error message can
 * quote the body); server errors are logged in full.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const answer = toHttpError(error);
    if (answer.status >= 500) logger.error('request failed', { error: describe(error) });
    else logger.info('request rejected', { 'http.status_code': answer.status, 'error.type': answer.code });
    res.status(answer.status).json({ error: answer.code, message: answer.message } satisfies ErrorBody);
  };
}

/** Body-parser errors carry `type` and `status`; they map to fixed, input-free messages. */
const BODY_PARSER_ERRORS: Readonly<Record<string, HttpError>> = {
  'entity.too.large': new HttpError(413, 'payload_too_large', 'The request body is larger than the service accepts'),
  'entity.parse.failed': new HttpError(400, 'invalid_json', 'The request body is not valid JSON'),
  'encoding.unsupported': new HttpError(415, 'unsupported_encoding', 'The request body encoding is not supported'),
  'charset.unsupported': new HttpError(415, 'unsupported_charset', 'The request body charset is not supported'),
  'request.aborted': new HttpError(400, 'request_aborted', 'The request was aborted by the client'),
};

function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (typeof error === 'object' && error !== null && 'type' in error && typeof error.type === 'string') {
    const known = BODY_PARSER_ERRORS[error.type];
    if (known !== undefined) return known;
    if ('status' in error && typeof error.status === 'number' && error.status >= 400 && error.status < 500) {
      return new HttpError(error.status, 'bad_request', 'The request could not be processed');
    }
  }
  return new HttpError(500, 'internal_error', 'Internal server error');
}

function describe(error: unknown): Record<string, string | undefined> {
  if (error instanceof Error) return { type: error.name, message: error.message, stack: error.stack };
  return { type: typeof error };
}
