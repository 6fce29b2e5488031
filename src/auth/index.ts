/** The demo's authentication: HMAC-signed login tokens and the middleware that reads them. */
export { createTokenService, InvalidTokenError, type TokenService, type TokenServiceOptions } from './token-service.ts';
export { authenticate } from './authenticate.ts';
