import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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

/**
 * Issues short-lived access tokens (EdDSA JWT) and rotating refresh tokens.
 * A refresh token is `<id>.<secret>`; only the secret's hash is stored.
 */
@Injectable()
export class TokenService {
  constructor(
    private readonly keys: SigningKeys,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  /** A new session: a new refresh-token family. */
  issue(tx: EntityManager, user: UserRecord): Promise<TokenPair> {
    return this.issueInFamily(tx, user, randomUUID());
  }

  /**
   * Rotates a refresh token. The presented token is locked, so two concurrent uses cannot
   * both succeed. Presenting a token that was already rotated means it leaked: the whole
   * family is revoked and the caller must sign in again.
   */
  async rotate(tx: EntityManager, presented: string, loadUser: (id: string) => Promise<UserRecord | null>): Promise<{ user: UserRecord; tokens: TokenPair } | { reused: true }> {
    const [id, secret] = presented.split('.');
    if (!id || !secret || !/^[0-9a-f-]{36}$/.test(id)) throw new UnauthenticatedError('Invalid refresh token');
    const record = await tx.getRepository(RefreshTokenRecord).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!record || !timingSafeEqual(sha256(secret), Buffer.from(record.secretHash, 'hex'))) {
      throw new UnauthenticatedError('Invalid refresh token');
    }
    if (record.usedAt || record.revokedAt) {
      await tx
        .createQueryBuilder()
        .update(RefreshTokenRecord)
        .set({ revokedAt: () => 'now()' })
        .where('family_id = :family AND revoked_at IS NULL', { family: record.familyId })
        .execute();
      return { reused: true };
    }
    if (record.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('Refresh token expired');
    const user = await loadUser(record.userId);
    if (!user) throw new UnauthenticatedError('Invalid refresh token');
    await tx.getRepository(RefreshTokenRecord).update({ id: record.id }, { usedAt: new Date() });
    return { user, tokens: await this.issueInFamily(tx, user, record.familyId) };
  }

  private async issueInFamily(tx: EntityManager, user: UserRecord, familyId: string): Promise<TokenPair> {
    const id = randomUUID();
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    await tx.getRepository(RefreshTokenRecord).insert({
      id,
      familyId,
      userId: user.id,
      secretHash: sha256(secret).toString('hex'),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000),
      usedAt: null,
      revokedAt: null,
    });
    const accessToken = await this.keys.sign(
      { sub: user.id, roles: user.roles },
      { issuer: this.config.JWT_ISSUER, audience: this.config.JWT_AUDIENCE, ttlSeconds: this.config.ACCESS_TOKEN_TTL_SECONDS, jti: randomUUID() },
    );
    return { accessToken, refreshToken: `${id}.${secret}` };
  }
}
