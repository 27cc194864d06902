import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { callerOf, ForbiddenError, inUseCaseTransaction, isUuid, NotFoundError, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import type { ApplicationRecord } from './application.entity';
import { ApplicationsService } from './applications.service';

const WithdrawApplicationCommand = z.object({ applicationId: z.string() });

/** Use case: the talent withdraws their own open application. */
@Injectable()
export class WithdrawApplication implements UseCase<z.input<typeof WithdrawApplicationCommand>, ApplicationRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly applications: ApplicationsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof WithdrawApplicationCommand>): Promise<ApplicationRecord> {
    const caller = callerOf(ctx);
    const { applicationId } = parseCommand(WithdrawApplicationCommand, input);
    if (!isUuid(applicationId)) throw new NotFoundError('Application');
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const application = await this.applications.lock(tx, applicationId);
      if (!application) throw new NotFoundError('Application');
      if (application.talentId !== caller.id) throw new ForbiddenError('Only the applicant may withdraw an application');
      return this.applications.resolve(tx, application, 'WITHDRAW', 'WITHDRAWN', new Date(), ctx.traceparent);
    });
  }
}
