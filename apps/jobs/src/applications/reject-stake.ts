import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { canTransition } from './application-status';
import { ApplicationsService } from './applications.service';

const RejectStakeCommand = z.object({ applicationId: z.uuid(), reason: z.string() });

/** Use case (the system's, on StakeRejected): rewards could not lock the stake, so a PENDING_STAKE application is REJECTED. */
@Injectable()
export class RejectStake implements UseCase<z.input<typeof RejectStakeCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RejectStakeCommand>): Promise<void> {
    assertSystem(ctx, 'RejectStake');
    const { applicationId, reason } = parseCommand(RejectStakeCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const application = await this.applications.lock(tx, applicationId);
      if (!application || !canTransition(application.status, 'STAKE_REJECTED')) return;
      await this.applications.resolve(tx, application, 'STAKE_REJECTED', `STAKE_REJECTED:${reason}`, new Date(), ctx.traceparent);
    });
  }
}
