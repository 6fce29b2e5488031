import { HttpError } from './http-error.ts';

/**
 * Body-parser (and raw-body) errors by their `type`: fixed, input-free answers more precise
 * than their status alone.
 */
const BODY_PARSER_ERRORS: Readonly<Record<string, HttpError>> = {
  'entity.too.large': new HttpError(413, 'payload_too_large', 'The request body is larger than the service accepts'),
  'entity.parse.failed': new HttpError(400, 'invalid_json', 'The request body is not valid JSON'),
  'encoding.unsupported': new HttpError(415, 'unsupported_encoding', 'The request body encoding is not supported'),
  'charset.unsupported': new HttpError(415, 'unsupported_charset', 'The request body charset is not supported'),
  'request.aborted': new HttpError(400, 'request_aborted', 'The request was aborted by the client'),
};

/** Any other client error, by status; a status not listed answers `client_error`. */
const CLIENT_ERRORS_BY_STATUS: ReadonlyMap<number, HttpError> = new Map([
  [400, new HttpError(400, 'bad_request', 'The request could not be processed')],
  [404, new HttpError(404, 'not_found', 'No route matches this method and path')],
  [405, new HttpError(405, 'method_not_allowed', 'The method is not allowed on this path')],
  [413, new HttpError(413, 'payload_too_large', 'The request body is larger than the service accepts')],
  [415, new HttpError(415, 'unsupported_media_type', 'The request body media type is not supported')],
]);

const INVALID_CONTENT_ENCODING = new HttpError(
  400,
  'invalid_content_encoding',
  'The request body does not match its Content-Encoding',
);
const INVALID_PATH = new HttpError(400, 'invalid_path', 'The request path is not valid percent-encoding');
const INTERNAL_ERROR = new HttpError(500, 'internal_error', 'Internal server error');

/**
 * Error codes of node:zlib's decompression streams: zlib (`Z_DATA_ERROR`, `Z_BUF_ERROR` for a
 * truncated body), brotli (`ERR__ERROR_FORMAT_…`) and zstd (`ZSTD_error_…`).
 */
const DECOMPRESSION_ERROR_CODE = /^(?:Z_|ERR__ERROR_|ZSTD_error_)/;

/**
 * The answer to any error reaching the error handler. An {@link HttpError} answers itself.
 * Any other error carrying a 4xx `status` or `statusCode` (body-parser, Express, any
 * library) answers that status with a stable code: by body-parser `type` first, then a
 * decompression failure (`invalid_content_encoding`: body-parser passes the zlib error on
 * with status 400 and no `type`), a malformed route parameter (`invalid_path`: the router
 * throws a `URIError` with status 400), else by status. Everything else is a server fault:
 * 500 `internal_error`. The answers never carry the error's own message, which can quote
 * the path or the body.
 */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (typeof error !== 'object' || error === null) return INTERNAL_ERROR;
  if ('type' in error && typeof error.type === 'string') {
    const known = BODY_PARSER_ERRORS[error.type];
    if (known !== undefined) return known;
  }
  const status = clientErrorStatus(error);
  if (status === undefined) return INTERNAL_ERROR;
  if ('code' in error && typeof error.code === 'string' && DECOMPRESSION_ERROR_CODE.test(error.code)) {
    return INVALID_CONTENT_ENCODING;
  }
  if (error instanceof URIError) return INVALID_PATH;
  return (
    CLIENT_ERRORS_BY_STATUS.get(status) ?? new HttpError(status, 'client_error', 'The request could not be processed')
  );
}

/** The error's `status` (or `statusCode`, as some libraries name it) when it is a 4xx. */
function clientErrorStatus(error: object): number | undefined {
  const status: unknown = 'status' in error ? error.status : 'statusCode' in error ? error.statusCode : undefined;
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 400 || status > 499) return undefined;
  return status;
}
