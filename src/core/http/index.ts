/** HTTP plumbing shared by every route: route names, the access line, errors as JSON. */
export { accessLog, type AccessLogOptions } from './access-log.ts';
export { matchedRoute, matchedRouteTemplate, nameRoutes } from './matched-route.ts';
export { HttpError } from './http-error.ts';
export { toHttpError } from './to-http-error.ts';
export { errorHandler, notFound, type ErrorBody } from './error-handler.ts';
