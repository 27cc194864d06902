import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { RoleGranted } from '@talent/events';
import {
  assertOwnTransaction,
  callerOf,
  EventPublisher,
  inUseCaseTransaction,
  parseCommand,
  type UseCase,
  type UseCaseContext,
  requireRole,
} from '@talent/platform';
import { SessionsService } from '../auth/sessions.service';
import { lockUser, saveUser, UserRoleCommand } from './account-access';
import type { UserRecord } from './user.entity';

/**
 * Use case: an ADMIN grants a role (INSPECTOR and ADMIN are only ever granted this way).
 * Granting a role the user has changes nothing. Once committed, the user's access tokens issued
 * until then are refused, so the client refreshes and its next token carries the role.
 */
@Injectable()
export class GrantRole implements UseCase<z.input<typeof UserRoleCommand>, UserRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly sessions: SessionsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof UserRoleCommand>): Promise<UserRecord> {
    assertOwnTransaction(ctx, 'GrantRole');
    const admin = requireRole(callerOf(ctx), 'ADMIN');
    const { userId, role } = parseCommand(UserRoleCommand, input);
    let changed = false;
    const user = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const user = await lockUser(tx, userId);
      if (user.roles.includes(role)) return user;
      await saveUser(tx, user, { roles: [...user.roles, role] });
      await this.events.publish(tx, RoleGranted, { userId: user.id, role, grantedBy: admin.id }, { traceparent: ctx.traceparent });
      changed = true;
      return user;
    });
    if (changed) await this.sessions.revokeAccessTokensIssuedUntilNow(user.id);
    return user;
  }
}
