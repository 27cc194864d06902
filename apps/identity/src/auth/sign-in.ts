import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ForbiddenError, inTransaction, parseCommand, UnauthenticatedError, type UseCase, type UseCaseContext } from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import { PasswordHasher } from './password-hasher';
import type { Session } from './session';
import { SignInThrottle } from './sign-in-throttle';
import { TokenService } from './token.service';

const SignInCommand = z.object({ email: z.string().transform((email) => email.trim().toLowerCase()), password: z.string() });

/**
 * Use case: sign in with email and password, throttled per account (RATE_LIMITED once too many
 * guesses failed) and per client address. An unknown email costs the same time as a wrong
 * password and gets the same answer; a disabled account is told so only once the password is right.
 * Runs in transactions of its own (`ctx.tx` is not joined): the throttle's counts must stand
 * whatever the caller does.
 */
@Injectable()
export class SignIn implements UseCase<z.input<typeof SignInCommand>, Session> {
  /** Verified against when the email is unknown, so a miss costs as much time as a hit. */
  private readonly dummyHash: Promise<string>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: SignInThrottle,
  ) {
    this.dummyHash = hasher.hash(randomUUID());
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof SignInCommand>): Promise<Session> {
    const { email, password } = parseCommand(SignInCommand, input);
    if (!ctx.clientIp) throw new Error('SignIn is throttled per client address: the context must carry it');
    // Counted before the hash is verified: at most the account's limit of guesses is ever evaluated.
    const attempt = await this.throttle.beginSignIn(email, ctx.clientIp);
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
    const signedIn = user;
    return inTransaction(this.dataSource, async (tx) => {
      if (this.hasher.needsRehash(signedIn.passwordHash)) {
        await tx.getRepository(UserRecord).update({ id: signedIn.id }, { passwordHash: await this.hasher.hash(password) });
      }
      return { user: signedIn, ...(await this.tokens.issue(tx, signedIn)) };
    });
  }
}
