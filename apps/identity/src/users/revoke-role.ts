import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { RoleRevoked } from '@talent/events';
import {
  assertOwnTransaction,
  callerOf,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  parseCommand,
  type UseCase,
  type UseCaseContext,
  requireRole,
} from '@talent/platform';
import { SessionsService } from '../auth/sessions.service';
import { assertAnotherActiveAdmin, lockUser, saveUser, UserRoleCommand } from './account-access';
import type { UserRecord } from './user.entity';

/**
 * Use case: an ADMIN takes a role back; once committed, tokens carrying it are refused at every
 * subgraph within seconds. Not ADMIN from oneself, nor from the last active admin.
 */
@Injectable()
export class RevokeRole implements UseCase<z.input<typeof UserRoleCommand>, UserRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly sessions: SessionsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof UserRoleCommand>): Promise<UserRecord> {
    assertOwnTransaction(ctx, 'RevokeRole');
    const admin = requireRole(callerOf(ctx), 'ADMIN');
    const { userId, role } = parseCommand(UserRoleCommand, input);
    const user = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const user = await lockUser(tx, userId);
      if (role === 'ADMIN' && user.id === admin.id) throw new ForbiddenError('An admin cannot take ADMIN from themselves; another admin must');
      if (!user.roles.includes(role)) return user;
      if (role === 'ADMIN') await assertAnotherActiveAdmin(tx, user.id);
      await saveUser(tx, user, { roles: user.roles.filter((r) => r !== role) });
      await this.events.publish(tx, RoleRevoked, { userId: user.id, role, revokedBy: admin.id }, { traceparent: ctx.traceparent });
      return user;
    });
    await this.sessions.revokeAccessTokensIssuedUntilNow(user.id);
    return user;
  }
}
