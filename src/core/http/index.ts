/** HTTP plumbing shared by every route: errors as JSON. */
export { HttpError } from './http-error.ts';
export { toHttpError } from './to-http-error.ts';
export { errorHandler, notFound, type ErrorBody } from './error-handler.ts';
