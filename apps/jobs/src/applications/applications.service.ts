import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { ApplicationResolved, type PayloadOf } from '@talent/events';
import { EventPublisher, isUuid } from '@talent/platform';
import { ApplicationRecord } from './application.entity';
import { FINAL_APPLICATION_STATUSES, OPEN_APPLICATION_STATUSES, transition, type ApplicationAction } from './application-status';

type Resolution = PayloadOf<typeof ApplicationResolved>['status'];

/** Reads of applications, and the steps the use cases share inside their transaction (resolve, decline, lock). */
@Injectable()
export class ApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
  ) {}

  /**
   * Moves an application to a final status through the transition table (CONFLICT when the
   * table forbids it) and emits ApplicationResolved, in the caller's transaction.
   */
  async resolve(
    tx: EntityManager,
    application: ApplicationRecord,
    action: ApplicationAction,
    reason: string,
    now: Date,
    traceparent?: string,
  ): Promise<ApplicationRecord> {
    const status = transition(application.status, action);
    if (!FINAL_APPLICATION_STATUSES.includes(status)) throw new Error(`${action} does not resolve an application`);
    const changes = { status, resolutionReason: reason, resolvedAt: now, updatedAt: now };
    await tx.getRepository(ApplicationRecord).update({ id: application.id }, changes);
    await this.events.publish(
      tx,
      ApplicationResolved,
      {
        applicationId: application.id,
        jobId: application.jobId,
        talentId: application.talentId,
        status: status as Resolution,
        reason,
        stake: application.stake,
        resolvedAt: now.toISOString(),
      },
      { traceparent },
    );
    return { ...application, ...changes };
  }

  /** Declines every open application of a job (the job closed or was filled); the caller holds the job's row lock. */
  async declineOpen(tx: EntityManager, jobId: string, reason: 'JOB_CLOSED' | 'JOB_FILLED', now: Date, traceparent?: string): Promise<number> {
    const open = await tx.getRepository(ApplicationRecord).find({
      where: { jobId, status: In([...OPEN_APPLICATION_STATUSES]) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    for (const application of open) await this.resolve(tx, application, 'DECLINE', reason, now, traceparent);
    return open.length;
  }

  findById(id: string): Promise<ApplicationRecord | null> {
    return isUuid(id) ? this.dataSource.getRepository(ApplicationRecord).findOneBy({ id }) : Promise.resolve(null);
  }

  /** Newest first. */
  forJob(jobId: string): Promise<ApplicationRecord[]> {
    return this.dataSource.getRepository(ApplicationRecord).find({ where: { jobId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** Newest first. */
  forTalent(talentId: string): Promise<ApplicationRecord[]> {
    return this.dataSource.getRepository(ApplicationRecord).find({ where: { talentId }, order: { createdAt: 'DESC', id: 'DESC' } });
  }

  /** The application, locked FOR UPDATE; null when unknown. */
  lock(tx: EntityManager, id: string): Promise<ApplicationRecord | null> {
    return tx.getRepository(ApplicationRecord).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }
}
