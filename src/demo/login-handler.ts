import type { RequestHandler } from 'express';
import type { TokenService } from './token-service.ts';
import { HttpError, isValidUserId, type Logger, rotateSession, SessionMapKey, setByKey, USER_ID_RULE } from '../core/index.ts';

/**
 * `POST /api/login` with `{"userId":"..."}`: 200 `{"token","tokenType":"Bearer","expiresIn"}`
 * and a new session (`x-session-id`, linked to the one it replaces, see `rotateSession`);
 * 400 when `userId` is missing or not a valid user id (`USER_ID_RULE`: 1 to 255 printable
 * ASCII characters, no spaces).
 * The demo trusts the claimed user id: a real service checks credentials here.
 */
export function loginHandler(tokens: TokenService, ttlSeconds: number, logger: Logger): RequestHandler {
  return async function login(req, res) {
    const body: unknown = req.body;
    const userId = typeof body === 'object' && body !== null && 'userId' in body ? body.userId : undefined;
    if (!isValidUserId(userId)) {
      throw new HttpError(400, 'invalid_user_id', `userId must be ${USER_ID_RULE}`);
    }
    const token = await tokens.issue(userId);
    // Signing in starts a new session, linked to the anonymous one: whoever knew or chose the
    // old id cannot add requests to the user's. The rest of the login request belongs to the
    // user and the new session: its spans and logs say so.
    rotateSession();
    setByKey(SessionMapKey.USER_ID, userId);
    logger.info('user logged in');
    res.json({ token, tokenType: 'Bearer', expiresIn: ttlSeconds });
  };
}
