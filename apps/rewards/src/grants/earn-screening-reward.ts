import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { TalentScreened } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { PolicyKeys } from '../policies/policies.service';
import { GrantsService } from './grants.service';

const EarnScreeningRewardCommand = TalentScreened.schema.pick({ talentId: true, inspectorId: true }).extend({
  /** The TalentScreened event's id and time (the work's). */
  eventId: z.string(),
  earnedAt: z.string(),
});

/**
 * Use case (the system's, on identity's TalentScreened): the inspector earns `talent.screened`.
 * Screening pays once per talent, for the first decision (approved or rejected: the work is the
 * same): reference = the talent, and the policy is once-per-reference, so a re-screening by the
 * same or another inspector is recorded and refused (ALREADY_REWARDED). The grant joins its
 * transaction's batch (GrantsService), decided before that commits.
 */
@Injectable()
export class EarnScreeningReward implements UseCase<z.input<typeof EarnScreeningRewardCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly grants: GrantsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof EarnScreeningRewardCommand>): Promise<void> {
    assertSystem(ctx, 'EarnScreeningReward');
    const { talentId, inspectorId, eventId, earnedAt } = parseCommand(EarnScreeningRewardCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) =>
      this.grants.enqueue(tx, {
        policyKey: PolicyKeys.talentScreened,
        reference: talentId,
        beneficiaryId: inspectorId,
        eventId,
        traceparent: ctx.traceparent,
        earnedAt,
      }),
    );
  }
}
