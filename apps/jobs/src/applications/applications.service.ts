import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { ApplicationResolved, ApplicationSubmitted, InterviewRecorded, type PayloadOf } from '@talent/events';
import {
  type AuthUser,
  BadUserInputError,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inTransaction,
  isUniqueViolation,
  isUuid,
  MembershipProjection,
  NotFoundError,
  PreconditionFailedError,
} from '@talent/platform';
import { JobRecord } from '../jobs/job.entity';
import { describeTerms, rateTermsOf, rateVerdict } from '../jobs/rate-terms';
import { ApplicationRecord, InterviewRecord } from './application.entity';
import { canTransition, FINAL_APPLICATION_STATUSES, initialStatus, OPEN_APPLICATION_STATUSES, transition, type ApplicationAction } from './application-status';
import { toApplyCommand, type ApplyRequest } from './apply.command';

type Resolution = PayloadOf<typeof ApplicationResolved>['status'];

@Injectable()
export class ApplicationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
  ) {}

  /** A member talent applies to an open job of someone else, once. */
  async apply(caller: AuthUser, request: ApplyRequest, traceparent?: string): Promise<ApplicationRecord> {
    const command = toApplyCommand(request);
    if (!isUuid(command.jobId)) throw new NotFoundError('Job');
    // A member approved a moment ago may not be in jobs' projection yet: wait for it, outside the transaction.
    await this.membership.waitUntilMember(caller.id);
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        await this.membership.requireMember(tx, caller.id, 'apply to jobs');
        // FOR SHARE: a concurrent close or hire (FOR UPDATE) waits for this application, then declines it.
        const job = await tx.getRepository(JobRecord).findOne({ where: { id: command.jobId }, lock: { mode: 'pessimistic_read' } });
        if (!job) throw new NotFoundError('Job');
        if (job.clientId === caller.id) throw new ForbiddenError('Clients cannot apply to their own job');
        if (job.status !== 'OPEN') throw new PreconditionFailedError(`This job is ${job.status}: it takes no more applications`);
        if (command.proposedRate.currency !== job.currency) {
          throw new BadUserInputError(`proposedRate must be in the job's budget currency, ${job.currency}`, 'proposedRate.currency');
        }
        // The contract will be valued at this rate: it must stay within what the client posted.
        const terms = rateTermsOf(job);
        if (rateVerdict(terms, command.proposedRate) !== 'WITHIN') {
          throw new BadUserInputError(
            `proposedRate must be within the job's budget, ${describeTerms(terms)} (got ${command.proposedRate.amount} ${command.proposedRate.currency})`,
            'proposedRate.amount',
          );
        }
        if (await tx.getRepository(ApplicationRecord).existsBy({ jobId: job.id, talentId: caller.id })) {
          throw new ConflictError('You have already applied to this job');
        }
        const now = new Date();
        const application = tx.getRepository(ApplicationRecord).create({
          id: randomUUID(),
          jobId: job.id,
          talentId: caller.id,
          coverLetter: command.coverLetter,
          proposedRate: command.proposedRate.amount,
          currency: command.proposedRate.currency,
          stake: command.stake,
          status: initialStatus(command.stake),
          resolutionReason: null,
          createdAt: now,
          updatedAt: now,
          resolvedAt: null,
        });
        await tx.getRepository(ApplicationRecord).insert(application);
        await this.events.publish(
          tx,
          ApplicationSubmitted,
          {
            applicationId: application.id,
            jobId: job.id,
            talentId: caller.id,
            clientId: job.clientId,
            proposedRate: command.proposedRate,
            stake: command.stake,
            submittedAt: now.toISOString(),
          },
          { traceparent },
        );
        return application;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'applications_one_per_talent_per_job')) throw new ConflictError('You have already applied to this job');
      throw error;
    }
  }

  /**
   * rewards locked the stake (StakeLocked): a PENDING_STAKE application is submitted. An
   * application that left PENDING_STAKE meanwhile (withdrawn, declined) stays as it is:
   * its ApplicationResolved already tells rewards to release the stake.
   */
  async confirmStake(tx: EntityManager, applicationId: string): Promise<void> {
    const application = await tx.getRepository(ApplicationRecord).findOne({ where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
    if (!application || !canTransition(application.status, 'STAKE_LOCKED')) return;
    await tx.getRepository(ApplicationRecord).update({ id: application.id }, { status: transition(application.status, 'STAKE_LOCKED'), updatedAt: new Date() });
  }

  /** rewards could not lock the stake (StakeRejected): a PENDING_STAKE application is REJECTED. */
  async rejectStake(tx: EntityManager, applicationId: string, reason: string, traceparent?: string): Promise<void> {
    const application = await tx.getRepository(ApplicationRecord).findOne({ where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
    if (!application || !canTransition(application.status, 'STAKE_REJECTED')) return;
    await this.resolve(tx, application, 'STAKE_REJECTED', `STAKE_REJECTED:${reason}`, new Date(), traceparent);
  }

  /** The talent withdraws their own open application. */
  withdraw(caller: AuthUser, applicationId: string, traceparent?: string): Promise<ApplicationRecord> {
    if (!isUuid(applicationId)) throw new NotFoundError('Application');
    return inTransaction(this.dataSource, async (tx) => {
      const application = await this.lockApplication(tx, applicationId);
      if (application.talentId !== caller.id) throw new ForbiddenError('Only the applicant may withdraw an application');
      return this.resolve(tx, application, 'WITHDRAW', 'WITHDRAWN', new Date(), traceparent);
    });
  }

  /**
   * The job's client records an interview: ATTENDED moves the application to INTERVIEWING;
   * NO_SHOW declines it (and lets rewards slash its stake, if any).
   */
  recordInterview(caller: AuthUser, applicationId: string, outcome: 'ATTENDED' | 'NO_SHOW', traceparent?: string): Promise<ApplicationRecord> {
    if (!isUuid(applicationId)) throw new NotFoundError('Application');
    return inTransaction(this.dataSource, async (tx) => {
      const application = await this.lockApplication(tx, applicationId);
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
        { traceparent },
      );
      if (outcome === 'NO_SHOW') return this.resolve(tx, application, action, 'NO_SHOW', now, traceparent);
      await tx.getRepository(ApplicationRecord).update({ id: application.id }, { status, updatedAt: now });
      return { ...application, status, updatedAt: now };
    });
  }

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

  private async lockApplication(tx: EntityManager, id: string): Promise<ApplicationRecord> {
    const application = await tx.getRepository(ApplicationRecord).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!application) throw new NotFoundError('Application');
    return application;
  }
}
