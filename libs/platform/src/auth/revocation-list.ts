/**
 * Access tokens that must no longer be accepted although their signature and expiry are
 * still good: a signed-out session, every session of a user who revoked them, a disabled
 * account, a role taken back. Identity writes it; every token check (gateway and each
 * subgraph) reads it, so a revocation takes effect everywhere within seconds.
 */
export interface TokenIdentity {
  userId: string;
  /** The token's `jti`. */
  tokenId: string;
  /** The token's `iat`, in seconds since the epoch. */
  issuedAt: number;
  /** The token's `sid` (its sign-in session), when it carries one. */
  sessionId?: string;
}

export abstract class RevocationList {
  abstract isRevoked(token: TokenIdentity): Promise<boolean>;
}
