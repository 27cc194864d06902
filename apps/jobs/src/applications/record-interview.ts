import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { InterviewRecorded } from '@talent/events';
import {
  callerOf,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { JobRecord } from '../jobs/job.entity';
import { ApplicationRecord, InterviewRecord } from './application.entity';
import { transition, type ApplicationAction } from './application-status';
import { ApplicationsService } from './applications.service';

const RecordInterviewCommand = z.object({ applicationId: z.string(), outcome: z.enum(['ATTENDED', 'NO_SHOW']) });

/**
 * Use case: the job's client records an interview. ATTENDED moves the application to
 * INTERVIEWING; NO_SHOW declines it (and lets rewards slash its stake, if any).
 */
@Injectable()
export class RecordInterview implements UseCase<z.input<typeof RecordInterviewCommand>, ApplicationRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly applications: ApplicationsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordInterviewCommand>): Promise<ApplicationRecord> {
    const caller = callerOf(ctx);
    const { applicationId, outcome } = parseCommand(RecordInterviewCommand, input);
    if (!isUuid(applicationId)) throw new NotFoundError('Application');
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const application = await this.applications.lock(tx, applicationId);
      if (!application) throw new NotFoundError('Application');
      const job = await tx.getRepository(JobRecord).findOneByOrFail({ id: application.jobId });
      if (job.clientId !== caller.id) throw new ForbiddenError("Only the job's client may record interviews");
      const action: ApplicationAction = outcome === 'ATTENDED' ? 'INTERVIEW_ATTENDED' : 'INTERVIEW_NO_SHOW';
      const status = transition(application.status, action);
      const now = new Date();
      await tx.getRepository(InterviewRecord).insert({ id: randomUUID(), applicationId: application.id, outcome, recordedBy: caller.id, recordedAt: now });
      await this.events.publish(
        tx,
        InterviewRecorded,
        {
          applicationId: application.id,
          jobId: application.jobId,
          talentId: application.talentId,
          outcome,
          stake: application.stake,
          recordedAt: now.toISOString(),
        },
        { traceparent: ctx.traceparent },
      );
      if (outcome === 'NO_SHOW') return this.applications.resolve(tx, application, action, 'NO_SHOW', now, ctx.traceparent);
      await tx.getRepository(ApplicationRecord).update({ id: application.id }, { status, updatedAt: now });
      return { ...application, status, updatedAt: now };
    });
  }
}
