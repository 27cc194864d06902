import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  callerOf,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { ApplicationsService } from '../applications/applications.service';
import { JobRecord } from './job.entity';
import { publishJobClosed } from './job-events';

const CloseJobCommand = z.object({ jobId: z.string() });

/** Use case: the job's client closes an open job; its open applications are declined (JOB_CLOSED). */
@Injectable()
export class CloseJob implements UseCase<z.input<typeof CloseJobCommand>, JobRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly applications: ApplicationsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof CloseJobCommand>): Promise<JobRecord> {
    const caller = callerOf(ctx);
    const { jobId } = parseCommand(CloseJobCommand, input);
    if (!isUuid(jobId)) throw new NotFoundError('Job');
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const job = await tx.getRepository(JobRecord).findOne({ where: { id: jobId }, lock: { mode: 'pessimistic_write' } });
      if (!job) throw new NotFoundError('Job');
      if (job.clientId !== caller.id) throw new ForbiddenError("Only the job's client may close it");
      if (job.status !== 'OPEN') throw new ConflictError(`The job is already ${job.status}`);
      const now = new Date();
      await tx.getRepository(JobRecord).update({ id: job.id }, { status: 'CLOSED', closedAt: now });
      await this.applications.declineOpen(tx, job.id, 'JOB_CLOSED', now, ctx.traceparent);
      await publishJobClosed(this.events, tx, job, 'CLOSED', now, ctx.traceparent);
      return { ...job, status: 'CLOSED', closedAt: now };
    });
  }
}
