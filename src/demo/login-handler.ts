import type { RequestHandler } from 'express';
import type { TokenService } from './token-service.ts';
import { HttpError, isValidUserId, type Logger, SessionMapKey, setByKey } from '../core/index.ts';

/**
 * `POST /api/login` with `{"userId":"..."}`: 200 `{"token","tokenType":"Bearer","expiresIn"}`;
 * 400 when `userId` is missing or not 1-128 characters of `[A-Za-z0-9._:@-]`.
 * The demo trusts the claimed user id: a real service checks credentials here.
 */
export function loginHandler(tokens: TokenService, ttlSeconds: number, logger: Logger): RequestHandler {
  return async function login(req, res) {
    const body: unknown = req.body;
    const userId = typeof body === 'object' && body !== null && 'userId' in body ? body.userId : undefined;
    if (!isValidUserId(userId)) {
      throw new HttpError(400, 'invalid_user_id', 'userId must be 1 to 128 characters of A-Z a-z 0-9 . _ : @ -');
    }
    const token = await tokens.issue(userId);
    // The login request itself now belongs to the user: its spans and logs say so.
    setByKey(SessionMapKey.USER_ID, userId);
    logger.info('user logged in');
    res.json({ token, tokenType: 'Bearer', expiresIn: ttlSeconds });
  };
}
