import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import {
  assertOwnTransaction,
  callerOf,
  ForbiddenError,
  inUseCaseTransaction,
  parseCommand,
  type UseCase,
  type UseCaseContext,
  requireRole,
} from '@talent/platform';
import { SessionsService } from '../auth/sessions.service';
import { assertAnotherActiveAdmin, lockUser, saveUser, UserAccountCommand } from './account-access';
import type { UserRecord } from './user.entity';

/**
 * Use case: an ADMIN disables an account: it can no longer sign in or refresh, and once committed
 * every session ends and every token is refused. Not one's own, nor the last active admin's.
 */
@Injectable()
export class DisableAccount implements UseCase<z.input<typeof UserAccountCommand>, UserRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof UserAccountCommand>): Promise<UserRecord> {
    assertOwnTransaction(ctx, 'DisableAccount');
    const admin = requireRole(callerOf(ctx), 'ADMIN');
    const { userId } = parseCommand(UserAccountCommand, input);
    const user = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const user = await lockUser(tx, userId);
      if (user.id === admin.id) throw new ForbiddenError('An admin cannot disable their own account');
      if (user.disabledAt) return user;
      if (user.roles.includes('ADMIN')) await assertAnotherActiveAdmin(tx, user.id);
      await saveUser(tx, user, { disabledAt: new Date() });
      return user;
    });
    await this.sessions.revokeAll(user.id);
    return user;
  }
}
