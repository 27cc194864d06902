import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction, RedisRevocationList, UnauthenticatedError, type AuthUser } from '@talent/platform';
import { SignInThrottle } from './sign-in-throttle';
import { TokenService } from './token.service';

/**
 * Ends sessions. Each use case first revokes refresh tokens in the database (committed, so
 * no new access token can be minted), then lists the access tokens already out in the shared
 * revocation list, which the gateway and every subgraph check: they stop working everywhere
 * at once. Should the list be unreachable, the call fails and can be repeated: every step
 * is idempotent.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly revocations: RedisRevocationList,
    private readonly throttle: SignInThrottle,
  ) {}

  /**
   * Signs out one session: the caller's (the access token's `sid`), and/or the one a refresh
   * token belongs to (holding it is proof enough, as it could be refreshed and then signed out).
   */
  async logout(caller: AuthUser | null, refreshToken: string | null | undefined, clientIp: string): Promise<void> {
    if (!caller && !refreshToken) throw new UnauthenticatedError('Sign in, or give the refresh token of the session to end');
    const sessions = new Set<string>();
    if (caller?.token?.sessionId) sessions.add(caller.token.sessionId);
    if (refreshToken) {
      const attempt = await this.throttle.beginRefresh(clientIp);
      const record = await this.tokens.find(this.dataSource.manager, refreshToken);
      if (!record) {
        await attempt.failed();
        throw new UnauthenticatedError('Invalid refresh token');
      }
      await attempt.succeeded();
      sessions.add(record.familyId);
    }
    await inTransaction(this.dataSource, async (tx) => {
      for (const session of sessions) await this.tokens.revokeFamily(tx, session);
    });
    for (const session of sessions) await this.revokeSessionAccessTokens(session);
    // A token without a session (issued before sessions were named) is revoked on its own.
    if (caller?.token) await this.revocations.revokeToken(caller.token.id, caller.token.expiresAt);
  }

  /** Lists a session's access tokens as revoked (its refresh tokens were revoked already). */
  async revokeSessionAccessTokens(sessionId: string): Promise<void> {
    await this.revocations.revokeSession(sessionId, this.tokens.accessTokensIssuedNowExpireAt());
  }

  /** Ends every session of the user: no refresh token works, no access token issued until now is accepted. */
  async revokeAll(userId: string): Promise<void> {
    await inTransaction(this.dataSource, (tx) => this.tokens.revokeAllOf(tx, userId));
    await this.revokeAccessTokensIssuedUntilNow(userId);
  }

  /**
   * Refuses the user's access tokens issued until now, and no later ones: after a change of
   * roles, call it once the change is committed, so a token issued in between (with the old
   * roles) is refused too and the next refresh carries the new roles.
   */
  async revokeAccessTokensIssuedUntilNow(userId: string): Promise<void> {
    await this.revocations.revokeIssuedBefore(userId, Date.now(), this.tokens.accessTokensIssuedNowExpireAt());
  }
}
