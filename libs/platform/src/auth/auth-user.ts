import type { Role } from '@talent/events';

/** The access token a caller presented, as far as revocation and sign-out need it. */
export interface AccessTokenClaims {
  /** `jti` */
  id: string;
  /** `iat`, seconds since the epoch (with milliseconds as a fraction for tokens identity issued). */
  issuedAt: number;
  /** `exp`, seconds since the epoch. */
  expiresAt: number;
  /** `sid`: the sign-in session (refresh-token family) the token was issued for, if it says. */
  sessionId?: string;
}

/** The caller, as proven by a verified access token. */
export interface AuthUser {
  id: string;
  roles: Role[];
  /** The verified token itself; absent for callers built without one (tests, internal use). */
  token?: AccessTokenClaims;
}

export const hasRole = (user: AuthUser | null | undefined, ...roles: Role[]): boolean => !!user && roles.some((r) => user.roles.includes(r));
