import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { KycApproved } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { EligibilityService } from './eligibility.service';

const RecordTalentMembershipCommand = KycApproved.schema.pick({ userId: true, approvedAt: true });

/**
 * Use case (the system's, on KycApproved): the user is a member for good. Recorded whether or not
 * they have a profile yet; a profile that turns eligible is matched to the open jobs.
 */
@Injectable()
export class RecordTalentMembership implements UseCase<z.input<typeof RecordTalentMembershipCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eligibility: EligibilityService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordTalentMembershipCommand>): Promise<void> {
    assertSystem(ctx, 'RecordTalentMembership');
    const { userId, approvedAt } = parseCommand(RecordTalentMembershipCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await this.eligibility.lockTalent(tx, userId);
      await this.eligibility.recordMembership(tx, userId, approvedAt);
      await this.eligibility.applyToProfile(tx, userId, ctx.traceparent);
    });
  }
}
