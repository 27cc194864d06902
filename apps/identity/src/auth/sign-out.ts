import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, parseCommand, RedisRevocationList, UnauthenticatedError, type UseCase, type UseCaseContext } from '@talent/platform';
import { SessionsService } from './sessions.service';
import { SignInThrottle } from './sign-in-throttle';
import { TokenService } from './token.service';

const SignOutCommand = z.object({ refreshToken: z.string().nullish() });

/**
 * Use case: sign out one session: the caller's (the access token's `sid`), and/or the one a
 * refresh token belongs to (holding it is proof enough, as it could be refreshed and then signed
 * out). Its refresh tokens are revoked (committed), then its access tokens listed as revoked
 * everywhere. Runs in a transaction of its own (`ctx.tx` is not joined): the revocation must
 * commit before the access tokens are listed.
 */
@Injectable()
export class SignOut implements UseCase<z.input<typeof SignOutCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly revocations: RedisRevocationList,
    private readonly throttle: SignInThrottle,
    private readonly sessions: SessionsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof SignOutCommand>): Promise<void> {
    const { refreshToken } = parseCommand(SignOutCommand, input);
    const caller = ctx.caller;
    if (!caller && !refreshToken) throw new UnauthenticatedError('Sign in, or give the refresh token of the session to end');
    const sessions = new Set<string>();
    if (caller?.token?.sessionId) sessions.add(caller.token.sessionId);
    if (refreshToken) {
      if (!ctx.clientIp) throw new Error('SignOut with a refresh token is throttled per client address: the context must carry it');
      const attempt = await this.throttle.beginRefresh(ctx.clientIp);
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
    for (const session of sessions) await this.sessions.revokeSessionAccessTokens(session);
    // A token without a session (issued before sessions were named) is revoked on its own.
    if (caller?.token) await this.revocations.revokeToken(caller.token.id, caller.token.expiresAt);
  }
}
