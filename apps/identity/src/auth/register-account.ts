import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { RoleSchema, UserRegistered, type Role } from '@talent/events';
import {
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUniqueViolation,
  parseCommand,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { UserRecord } from '../users/user.entity';
import type { Session } from './session';
import { PasswordHasher } from './password-hasher';
import { SignInThrottle } from './sign-in-throttle';
import { TokenService } from './token.service';

const SELF_SERVICE_ROLES: ReadonlySet<Role> = new Set(['TALENT', 'CLIENT', 'CONNECTOR']);

export const RegisterAccountCommand = z.object({
  email: z
    .string()
    .trim()
    .max(254, 'must be a valid email address')
    .pipe(z.email('must be a valid email address'))
    .transform((email) => email.toLowerCase()),
  password: z.string().min(10, 'must be 10 to 128 characters').max(128, 'must be 10 to 128 characters'),
  displayName: z.string().trim().min(1, 'must not be blank').max(80, 'must be 1 to 80 characters'),
  roles: z
    .array(RoleSchema)
    .min(1, 'choose at least one role')
    .max(3)
    .transform((roles) => [...new Set(roles)]),
  referralCode: z
    .string()
    .regex(/^[A-Za-z0-9-]{4,32}$/, 'must be 4 to 32 letters, digits or dashes')
    .transform((code) => code.toUpperCase())
    .nullish(),
});

/**
 * Use case: anyone creates an account with roles among TALENT, CLIENT and CONNECTOR (INSPECTOR
 * and ADMIN are granted, never chosen: FORBIDDEN), throttled per client address, and is signed
 * in. UserRegistered carries the referral code to referrals.
 */
@Injectable()
export class RegisterAccount implements UseCase<z.input<typeof RegisterAccountCommand>, Session> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly throttle: SignInThrottle,
    private readonly events: EventPublisher,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RegisterAccountCommand>): Promise<Session> {
    const { email, password, displayName, roles, referralCode } = parseCommand(RegisterAccountCommand, input);
    const refused = roles.filter((r) => !SELF_SERVICE_ROLES.has(r));
    if (refused.length) throw new ForbiddenError(`${refused.join(', ')} cannot be chosen at registration; an admin grants it`);
    if (!ctx.clientIp) throw new Error('RegisterAccount is throttled per client address: the context must carry it');
    await this.throttle.assertMayRegister(ctx.clientIp);
    const passwordHash = await this.hasher.hash(password);
    try {
      return await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
        const now = new Date();
        const user = tx.getRepository(UserRecord).create({
          id: randomUUID(),
          email,
          passwordHash,
          displayName,
          roles,
          kycStatus: 'NOT_STARTED',
          screeningStatus: 'NOT_SCREENED',
          referralCode: referralCode ?? null,
          disabledAt: null,
          createdAt: now,
          updatedAt: now,
        });
        await tx.getRepository(UserRecord).insert(user);
        await this.events.publish(
          tx,
          UserRegistered,
          { userId: user.id, roles, referralCode: user.referralCode, registeredAt: now.toISOString() },
          { traceparent: ctx.traceparent },
        );
        return { user, ...(await this.tokens.issue(tx, user)) };
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new ConflictError('An account with this email already exists');
      throw error;
    }
  }
}
