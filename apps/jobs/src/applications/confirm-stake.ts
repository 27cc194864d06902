import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { ApplicationRecord } from './application.entity';
import { canTransition, transition } from './application-status';
import { ApplicationsService } from './applications.service';

const ConfirmStakeCommand = z.object({ applicationId: z.uuid() });

/**
 * Use case (the system's, on StakeLocked): rewards locked the stake, so a PENDING_STAKE
 * application is submitted. One that left PENDING_STAKE meanwhile (withdrawn, declined) stays
 * as it is: its ApplicationResolved already tells rewards to release the stake.
 */
@Injectable()
export class ConfirmStake implements UseCase<z.input<typeof ConfirmStakeCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ConfirmStakeCommand>): Promise<void> {
    assertSystem(ctx, 'ConfirmStake');
    const { applicationId } = parseCommand(ConfirmStakeCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const application = await this.applications.lock(tx, applicationId);
      if (!application || !canTransition(application.status, 'STAKE_LOCKED')) return;
      await tx
        .getRepository(ApplicationRecord)
        .update({ id: application.id }, { status: transition(application.status, 'STAKE_LOCKED'), updatedAt: new Date() });
    });
  }
}
