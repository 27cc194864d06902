import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { DisputeResolved } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { GrantsService } from './grants.service';

/** The policy paid to majority jurors (its amount and caps live in `reward_policies`). */
export const JURY_REWARD_POLICY = 'jury.reward';

const EarnJuryRewardsCommand = DisputeResolved.schema.extend({ eventId: z.string() });

/**
 * Use case (the system's, on governance's DisputeResolved): each juror who voted with the majority
 * earns `jury.reward` from the community pool, once per (dispute, juror): reference = the
 * dispute. Jurors in the minority and jurors who did not vote are not in `majorityJurorIds` and
 * earn nothing. Members only, within the policy's caps: the grants join their transaction's
 * batch (GrantsService decides and records refusals before it commits).
 */
@Injectable()
export class EarnJuryRewards implements UseCase<z.input<typeof EarnJuryRewardsCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly grants: GrantsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof EarnJuryRewardsCommand>): Promise<void> {
    assertSystem(ctx, 'EarnJuryRewards');
    const { disputeId, majorityJurorIds, resolvedAt, eventId } = parseCommand(EarnJuryRewardsCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      for (const jurorId of new Set(majorityJurorIds.map((id) => id.toLowerCase()))) {
        this.grants.enqueue(tx, {
          policyKey: JURY_REWARD_POLICY,
          reference: disputeId.toLowerCase(),
          beneficiaryId: jurorId,
          eventId,
          traceparent: ctx.traceparent,
          earnedAt: resolvedAt,
        });
      }
    });
  }
}
