import type { RequestHandler } from 'express';
import { HttpError, isValidUserId, SessionMapKey, setByKey } from '../core/index.ts';

/**
 * Express middleware, a stand-in for authentication: `?user=<id>` sets the request's user id
 * in the session (`setByKey`), so it appears on the request's spans, in its log lines and,
 * with PROPAGATE_USER_ID=true, in outgoing baggage. 400 `invalid_user_id` for a value that
 * is not 1 to 128 characters of `[A-Za-z0-9._:@-]`.
 *
 * Warning: it believes whatever the client claims. Replace it by your identity provider's
 * check and call `setByKey(SessionMapKey.USER_ID, …)` only with a verified id. Mount it on
 * the routes it guards (`router.get(path, userFromQuery, handler)`), never with `router.use`
 * on a router mounted under `/api`: that runs it for every later route under `/api` too.
 */
export const userFromQuery: RequestHandler = (req, _res, next) => {
  const user = req.query['user'];
  if (user !== undefined) {
    // The core's own rule: a user id ends up in headers, logs and span attributes.
    if (!isValidUserId(user)) throw new HttpError(400, 'invalid_user_id', 'user must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -');
    setByKey(SessionMapKey.USER_ID, user);
  }
  next();
};
