import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ForbiddenError, inTransaction, UnauthenticatedError } from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';
import { SignInThrottle } from './sign-in-throttle';
import { TokenService, type TokenPair } from './token.service';

export interface Session extends TokenPair {
  user: UserRecord;
}

/** Signing in and refreshing a session (creating an account is the RegisterAccount use case). */
@Injectable()
export class AuthService {
  /** Verified against when the email is unknown, so a miss costs as much time as a hit. */
  private dummyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: SignInThrottle,
    private readonly sessions: SessionsService,
  ) {
    this.dummyHash = hasher.hash(randomUUID());
  }

  async login(emailInput: string, password: string, clientIp: string): Promise<Session> {
    const email = emailInput.trim().toLowerCase();
    // Counted before the hash is verified: at most the account's limit of guesses is ever evaluated.
    const attempt = await this.throttle.beginSignIn(email, clientIp);
    let user: UserRecord | null;
    let ok: boolean;
    try {
      user = await this.dataSource.getRepository(UserRecord).findOneBy({ email });
      ok = await this.hasher.verify(password, user?.passwordHash ?? (await this.dummyHash));
    } catch (error) {
      await attempt.abandoned();
      throw error;
    }
    if (!user || !ok) {
      await attempt.failed();
      throw new UnauthenticatedError('Invalid email or password');
    }
    await attempt.succeeded();
    // Only told to whoever knows the password.
    if (user.disabledAt) throw new ForbiddenError('This account is disabled');
    return inTransaction(this.dataSource, async (tx) => {
      if (this.hasher.needsRehash(user.passwordHash)) {
        await tx.getRepository(UserRecord).update({ id: user.id }, { passwordHash: await this.hasher.hash(password) });
      }
      return { user, ...(await this.tokens.issue(tx, user)) };
    });
  }

  async refresh(refreshToken: string, clientIp: string): Promise<Session> {
    const attempt = await this.throttle.beginRefresh(clientIp);
    let result: Awaited<ReturnType<TokenService['rotate']>>;
    try {
      result = await inTransaction(this.dataSource, (tx) => this.tokens.rotate(tx, refreshToken, (id) => this.users.findById(id, tx)));
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
