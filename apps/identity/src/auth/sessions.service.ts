import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { inTransaction, RedisRevocationList } from '@talent/platform';
import { TokenService } from './token.service';

/**
 * The steps that end sessions, shared by SignOut, RevokeMySessions, RefreshSession and the
 * account use cases. Refresh tokens are revoked in the database first (committed, so no new
 * access token can be minted), then the access tokens already out are listed in the shared
 * revocation list, which the gateway and every subgraph check: they stop working everywhere at
 * once. Should the list be unreachable, the call fails and can be repeated: every step is idempotent.
 */
@Injectable()
export class SessionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly revocations: RedisRevocationList,
  ) {}

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
