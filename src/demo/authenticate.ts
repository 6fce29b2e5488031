import type { RequestHandler } from 'express';
import { InvalidTokenError, type TokenService } from './token-service.ts';
import { HttpError, SessionMapKey, setByKey } from '../core/index.ts';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/**
 * Express middleware: a request with `Authorization: Bearer <token>` is authenticated and
 * its user id set in the session (`setByKey(SessionMapKey.USER_ID, ...)`); a bad or expired
 * token answers 401. A request without the header passes through anonymous. Mount it on the
 * routes it guards (`router.get(path, auth, handler)`): with `router.use` on a router mounted
 * under `/api` it would run for every later route under `/api` too.
 */
export function authenticate(tokens: TokenService): RequestHandler {
  // Synchronous for the anonymous request: an async middleware costs every request a promise.
  return function authenticateMiddleware(req, _res, next) {
    const header = req.headers.authorization;
    if (header === undefined) {
      next();
      return undefined;
    }
    return verifyBearer(tokens, header).then(() => {
      next();
    });
  };
}

/** Sets the session's user from a valid `Bearer` token; rejects with a 401 otherwise. */
async function verifyBearer(tokens: TokenService, header: string): Promise<void> {
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) throw new HttpError(401, 'invalid_token', 'Expected "Authorization: Bearer <token>"');
  try {
    setByKey(SessionMapKey.USER_ID, await tokens.verify(token));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new HttpError(401, 'invalid_token', error.message, { cause: error });
    throw error;
  }
}
