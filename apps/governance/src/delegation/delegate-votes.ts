import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  callerOf,
  inUseCaseTransaction,
  isUuid,
  MembershipProjection,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { DelegationService } from './delegation.service';
import { CURRENT } from './instant';

const DelegateVotesCommand = z.object({
  toUserId: z
    .string()
    .refine(isUuid, 'must be a user id (UUID)')
    .transform((id) => id.toLowerCase()),
});

/**
 * Use case: a member sets their delegate (see DelegationService for the rule); delegating to
 * themselves clears it. Members only (PRECONDITION_FAILED), to a member known to governance
 * (NOT_FOUND). An unchanged choice appends nothing. Returns the caller's id.
 */
@Injectable()
export class DelegateVotes implements UseCase<z.input<typeof DelegateVotesCommand>, string> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly membership: MembershipProjection,
    private readonly delegation: DelegationService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof DelegateVotesCommand>): Promise<string> {
    const me = callerOf(ctx).id.toLowerCase();
    const { toUserId: to } = parseCommand(DelegateVotesCommand, input);
    // Members approved a moment ago may not be in governance's projection yet: wait for them, outside the transaction.
    await Promise.all([this.membership.waitUntilMember(me), to === me ? undefined : this.membership.waitUntilMember(to)]);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      // Locking the delegator's member row orders their concurrent changes.
      if (!(await this.membership.lock(tx, me))) throw new PreconditionFailedError('Only members (KYC approved) may delegate votes');
      if (to !== me && !(await this.membership.isMember(tx, to))) throw new NotFoundError('Member');
      const delegatee = to === me ? null : to;
      if ((await this.delegation.delegateAt(tx, me, CURRENT)) === delegatee) return;
      // Effective now, and never before the delegator's previous change (rows stay in order whatever the clock does).
      await tx.query(
        `INSERT INTO delegations (delegator_id, delegatee_id, from_time)
         SELECT $1, $2, GREATEST(clock_timestamp(), COALESCE(max(from_time), '-infinity'))
           FROM delegations WHERE delegator_id = $1`,
        [me, delegatee],
      );
    });
    return me;
  }
}
