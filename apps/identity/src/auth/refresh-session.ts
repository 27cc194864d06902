import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { inTransaction, parseCommand, UnauthenticatedError, type UseCase, type UseCaseContext } from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { SessionsService } from './sessions.service';
import type { Session } from './session';
import { SignInThrottle } from './sign-in-throttle';
import { TokenService } from './token.service';

const RefreshSessionCommand = z.object({ refreshToken: z.string() });

/**
 * Use case: rotate a refresh token (failed refreshes are throttled per client address). A token
 * presented twice has leaked: its whole session is revoked, refresh and access tokens alike.
 * Runs in transactions of its own (`ctx.tx` is not joined): the revocation must commit before
 * the refusal is answered.
 */
@Injectable()
export class RefreshSession implements UseCase<z.input<typeof RefreshSessionCommand>, Session> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly throttle: SignInThrottle,
    private readonly sessions: SessionsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RefreshSessionCommand>): Promise<Session> {
    const { refreshToken } = parseCommand(RefreshSessionCommand, input);
    if (!ctx.clientIp) throw new Error('RefreshSession is throttled per client address: the context must carry it');
    const attempt = await this.throttle.beginRefresh(ctx.clientIp);
    let result: Awaited<ReturnType<TokenService['rotate']>>;
    try {
      result = await inTransaction(this.dataSource, (tx) => this.tokens.rotate(tx, refreshToken, (id) => tx.getRepository(UserRecord).findOneBy({ id })));
    } catch (error) {
      await (error instanceof UnauthenticatedError ? attempt.failed() : attempt.abandoned());
      throw error;
    }
    // The family's revocation must commit before we refuse, hence outside the transaction.
    if ('reused' in result) {
      await attempt.failed();
      // The leaked session's access tokens stop working too, not only its refresh tokens.
      await this.sessions.revokeSessionAccessTokens(result.sessionId);
      throw new UnauthenticatedError('Refresh token was already used; every session of this login is revoked');
    }
    await attempt.succeeded();
    return { user: result.user, ...result.tokens };
  }
}
