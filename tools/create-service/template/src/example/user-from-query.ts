import type { RequestHandler } from 'express';
import { HttpError, isValidUserId, SessionMapKey, setByKey, USER_ID_RULE } from '../core/index.ts';

/**
 * Express middleware, a stand-in for authentication: `?user=<id>` sets the request's user id
 * in the session (`setByKey`), so it appears on the request's spans, in its log lines and,
 * with PROPAGATE_USER_ID=true, in outgoing baggage. 400 `invalid_user_id` for a value that
 * is not a valid user id (`USER_ID_RULE`: 1 to 255 printable ASCII characters, no spaces).
 *
 * Warning: it believes whatever the client claims. Replace it by your identity provider's
 * check and call `setByKey(SessionMapKey.USER_ID, …)` only with a verified id. Mount it on
 * the routes it guards (`router.get(path, userFromQuery, handler)`), never with `router.use`
 * on a router mounted under `/api`: that runs it for every later route under `/api` too.
 */
export const userFromQuery: RequestHandler = (req, _res, next) => {
  const user = req.query['user'];
  if (user !== undefined) {
    // The core's own rule (setByKey would throw on anything else): a user id ends up in
    // baggage, logs and span attributes.
    if (!isValidUserId(user)) throw new HttpError(400, 'invalid_user_id', `user must be ${USER_ID_RULE}`);
    setByKey(SessionMapKey.USER_ID, user);
  }
  next();
};
