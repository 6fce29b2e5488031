import { errors, jwtVerify, SignJWT } from 'jose';
import { isValidUserId } from '../core/index.ts';

/** Thrown by {@link TokenService.verify}; the message is safe to return to the client. */
export class InvalidTokenError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidTokenError';
  }
}

/** Issues and verifies the demo's login tokens. */
export interface TokenService {
  /** A signed token whose subject is `userId`, valid for the configured lifetime. */
  issue(userId: string): Promise<string>;
  /**
   * The user id of a valid, unexpired token.
   * @throws {InvalidTokenError} for anything else.
   */
  verify(token: string): Promise<string>;
}

/** Options of {@link createTokenService}. */
export interface TokenServiceOptions {
  /** HMAC secret (HS256). Never logged. */
  readonly secret: string;
  /** Lifetime of an issued token, in seconds. */
  readonly ttlSeconds: number;
}

const ALGORITHM = 'HS256';

/**
 * Login tokens as compact JWTs signed with HMAC-SHA-256 (by `jose`). The demo's stand-in
 * for a real identity provider: replace it, keep the middleware contract.
 */
export function createTokenService(options: TokenServiceOptions): TokenService {
  const key = new TextEncoder().encode(options.secret);
  return {
    issue: (userId) =>
      new SignJWT()
        .setProtectedHeader({ alg: ALGORITHM })
        .setSubject(userId)
        .setIssuedAt()
        .setExpirationTime(`${options.ttlSeconds}s`)
        .sign(key),
    verify: async (token) => {
      let subject: string | undefined;
      try {
        ({ payload: { sub: subject } } = await jwtVerify(token, key, { algorithms: [ALGORITHM] }));
      } catch (error) {
        const expired = error instanceof errors.JWTExpired;
        throw new InvalidTokenError(expired ? 'The token has expired' : 'The token is invalid', { cause: error });
      }
      if (!isValidUserId(subject)) throw new InvalidTokenError('The token is invalid');
      return subject;
    },
  };
}
