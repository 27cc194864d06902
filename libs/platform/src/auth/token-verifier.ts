import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTPayload } from 'jose';
import { RoleSchema } from '@talent/events';
import type { AuthUser } from './auth-user';
import type { RevocationList } from './revocation-list';
import { VerifiedTokenCache } from './verified-token-cache';

export interface TokenVerification {
  issuer: string;
  audience: string;
}

/** Verifies bearer access tokens. Subgraphs use identity's JWKS; identity uses its own keys. */
export abstract class TokenVerifier {
  /** The caller, or null for a missing, malformed, expired or wrongly signed token. */
  abstract verify(token: string | undefined): Promise<AuthUser | null>;
}

/** The caller a token's claims describe; null unless it names a user, roles, and its own id, issue and expiry times. */
export function userFromClaims(payload: JWTPayload): AuthUser | null {
  const roles = RoleSchema.array().safeParse(payload.roles);
  if (typeof payload.sub !== 'string' || !roles.success) return null;
  // jti and iat make a token revocable (one token, or every token issued before an instant).
  if (typeof payload.jti !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') return null;
  const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined;
  return {
    id: payload.sub,
    roles: roles.data,
    token: { id: payload.jti, issuedAt: payload.iat, expiresAt: payload.exp, ...(sessionId ? { sessionId } : {}) },
  };
}

/**
 * Verifies EdDSA-signed tokens against a key set (remote JWKS, cached and refreshed by jose),
 * then, when given a revocation list, refuses a token revoked since it was issued (signed out,
 * sessions revoked, account disabled, a role taken back). A token verified once is remembered
 * until it expires (see VerifiedTokenCache); the revocation list is asked every time.
 */
export class JwksTokenVerifier extends TokenVerifier {
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly expected: TokenVerification,
    private readonly revocations?: RevocationList,
    private readonly verified = new VerifiedTokenCache(),
  ) {
    super();
  }

  static remote(jwksUrl: string, expected: TokenVerification, revocations?: RevocationList): JwksTokenVerifier {
    return new JwksTokenVerifier(createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 }), expected, revocations);
  }

  async verify(token: string | undefined): Promise<AuthUser | null> {
    if (!token) return null;
    let user = this.verified.get(token) ?? null;
    if (!user) {
      try {
        const { payload } = await jwtVerify(token, this.keys, {
          issuer: this.expected.issuer,
          audience: this.expected.audience,
          algorithms: ['EdDSA'],
          typ: 'at+jwt',
        });
        user = userFromClaims(payload);
      } catch {
        return null;
      }
      if (user) this.verified.set(token, user);
    }
    if (!user?.token || !this.revocations) return user;
    // Outside the catch: a revocation list that cannot answer fails the request, it does not let the token through.
    const revoked = await this.revocations.isRevoked({
      userId: user.id,
      tokenId: user.token.id,
      issuedAt: user.token.issuedAt,
      sessionId: user.token.sessionId,
    });
    return revoked ? null : user;
  }
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1];
}
