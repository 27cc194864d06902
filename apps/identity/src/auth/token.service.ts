import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { APP_CONFIG, UnauthenticatedError } from '@talent/platform';
import type { IdentityConfig } from '../config';
import type { UserRecord } from '../users/user.entity';
import { RefreshTokenRecord } from './refresh-token.entity';
import { SigningKeys } from './signing-keys';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest();
const DAY_MS = 86_400_000;

/**
 * Issues short-lived access tokens (EdDSA JWT) and rotating refresh tokens.
 * A refresh token is `<id>.<secret>`; only the secret's hash is stored. The tokens of one
 * sign-in share a family (the session, named by the access tokens' `sid`), which ends
 * REFRESH_TOKEN_TTL_DAYS after sign-in, or sooner when not refreshed for REFRESH_TOKEN_IDLE_DAYS.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** A new session: a new refresh-token family. */
  issue(tx: EntityManager, user: UserRecord): Promise<TokenPair> {
    return this.issueInFamily(tx, user, randomUUID(), new Date(Date.now() + this.config.REFRESH_TOKEN_TTL_DAYS * DAY_MS));
  }

  /**
   * Rotates a refresh token. The presented token is locked, so two concurrent uses cannot
   * both succeed. Presenting a token that was already rotated means it leaked: the whole
   * family is revoked and the caller must sign in again.
   */
  async rotate(
    tx: EntityManager,
    presented: string,
    loadUser: (id: string) => Promise<UserRecord | null>,
  ): Promise<{ user: UserRecord; tokens: TokenPair } | { reused: true; sessionId: string }> {
    const record = await this.find(tx, presented, true);
    if (!record) throw new UnauthenticatedError('Invalid refresh token');
    if (record.usedAt) {
      await this.revokeFamily(tx, record.familyId);
      return { reused: true, sessionId: record.familyId };
    }
    if (record.revokedAt) throw new UnauthenticatedError('Refresh token was revoked; sign in again');
    if (record.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('Refresh token expired');
    const user = await loadUser(record.userId);
    if (!user) throw new UnauthenticatedError('Invalid refresh token');
    if (user.disabledAt) throw new UnauthenticatedError('This account is disabled');
    await tx.getRepository(RefreshTokenRecord).update({ id: record.id }, { usedAt: new Date() });
    return { user, tokens: await this.issueInFamily(tx, user, record.familyId, record.sessionExpiresAt ?? record.expiresAt) };
  }

  /** The refresh token's record when `presented` is one of ours (id and secret match), whatever its state. */
  async find(tx: EntityManager, presented: string, lock = false): Promise<RefreshTokenRecord | null> {
    const [id, secret, extra] = presented.split('.');
    if (!id || !secret || extra !== undefined || !/^[0-9a-f-]{36}$/.test(id)) return null;
    const record = await tx.getRepository(RefreshTokenRecord).findOne({ where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!record || !timingSafeEqual(sha256(secret), Buffer.from(record.secretHash, 'hex'))) return null;
    return record;
  }

  /** Ends one session: none of its refresh tokens works any more. */
  async revokeFamily(tx: EntityManager, familyId: string): Promise<void> {
    await tx.getRepository(RefreshTokenRecord).update({ familyId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /** Ends every session of the user. */
  async revokeAllOf(tx: EntityManager, userId: string): Promise<void> {
    await tx.getRepository(RefreshTokenRecord).update({ userId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
  }

  /** When an access token issued now expires (seconds since the epoch): the last moment a revocation made now matters. */
  accessTokensIssuedNowExpireAt(): number {
    return Math.ceil(Date.now() / 1000) + this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  private async issueInFamily(tx: EntityManager, user: UserRecord, familyId: string, sessionExpiresAt: Date): Promise<TokenPair> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    const idleExpiry = now.getTime() + this.config.REFRESH_TOKEN_IDLE_DAYS * DAY_MS;
    await tx.getRepository(RefreshTokenRecord).insert({
      id,
      familyId,
      userId: user.id,
      secretHash: sha256(secret).toString('hex'),
      createdAt: now,
      expiresAt: new Date(Math.min(idleExpiry, sessionExpiresAt.getTime())),
      sessionExpiresAt,
      usedAt: null,
      revokedAt: null,
    });
    const accessToken = await this.keys.sign(
      { sub: user.id, roles: user.roles, sid: familyId },
      {
        issuer: this.config.JWT_ISSUER,
        audience: this.config.JWT_AUDIENCE,
        ttlSeconds: this.config.ACCESS_TOKEN_TTL_SECONDS,
        jti: randomUUID(),
        now: now.getTime(),
      },
    );
    return { accessToken, refreshToken: `${id}.${secret}` };
  }
}
