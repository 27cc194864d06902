import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTPayload } from 'jose';
import { RoleSchema } from '@talent/events';
import type { AuthUser } from './auth-user';

export interface TokenVerification {
  issuer: string;
  audience: string;
}

/** Verifies bearer access tokens. Subgraphs use identity's JWKS; identity uses its own keys. */
export abstract class TokenVerifier {
  /** The caller, or null for a missing, malformed, expired or wrongly signed token. */
  abstract verify(token: string | undefined): Promise<AuthUser | null>;
}

export function userFromClaims(payload: JWTPayload): AuthUser | null {
  const roles = RoleSchema.array().safeParse(payload.roles);
  if (typeof payload.sub !== 'string' || !roles.success) return null;
  return { id: payload.sub, roles: roles.data };
}

/** Verifies EdDSA-signed tokens against a key set (remote JWKS, cached and refreshed by jose). */
export class JwksTokenVerifier extends TokenVerifier {
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly expected: TokenVerification,
  ) {
    super();
  }

  static remote(jwksUrl: string, expected: TokenVerification): JwksTokenVerifier {
    return new JwksTokenVerifier(createRemoteJWKSet(new URL(jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 600_000 }), expected);
  }

  async verify(token: string | undefined): Promise<AuthUser | null> {
    if (!token) return null;
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.expected.issuer,
        audience: this.expected.audience,
        algorithms: ['EdDSA'],
        typ: 'at+jwt',
      });
      return userFromClaims(payload);
    } catch {
      return null;
    }
  }
}

/** The token of an `Authorization: Bearer <token>` header, if any. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? /^Bearer\s+(\S+)$/i.exec(value) : null;
  return match?.[1];
}
