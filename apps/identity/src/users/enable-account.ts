import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { callerOf, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext, requireRole } from '@talent/platform';
import { lockUser, saveUser, UserAccountCommand } from './account-access';
import type { UserRecord } from './user.entity';

/** Use case: an ADMIN lets a disabled account sign in again (its old sessions stay ended). */
@Injectable()
export class EnableAccount implements UseCase<z.input<typeof UserAccountCommand>, UserRecord> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof UserAccountCommand>): Promise<UserRecord> {
    requireRole(callerOf(ctx), 'ADMIN');
    const { userId } = parseCommand(UserAccountCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const user = await lockUser(tx, userId);
      if (user.disabledAt) await saveUser(tx, user, { disabledAt: null });
      return user;
    });
  }
}
