import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { TalentScreened } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { EligibilityService } from './eligibility.service';

const RecordTalentScreeningCommand = TalentScreened.schema.pick({ talentId: true, decision: true, screenedAt: true });

/**
 * Use case (the system's, on TalentScreened): the latest screening decision wins, whatever order
 * the events arrive in. A profile that turns eligible is matched to the open jobs; one that turns
 * ineligible leaves them.
 */
@Injectable()
export class RecordTalentScreening implements UseCase<z.input<typeof RecordTalentScreeningCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eligibility: EligibilityService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordTalentScreeningCommand>): Promise<void> {
    assertSystem(ctx, 'RecordTalentScreening');
    const { talentId, decision, screenedAt } = parseCommand(RecordTalentScreeningCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await this.eligibility.lockTalent(tx, talentId);
      await this.eligibility.recordScreening(tx, talentId, decision, screenedAt);
      await this.eligibility.applyToProfile(tx, talentId, ctx.traceparent);
    });
  }
}
