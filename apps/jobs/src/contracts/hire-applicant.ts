import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ContractStarted } from '@talent/events';
import {
  callerOf,
  canonicalIn,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUniqueViolation,
  isUuid,
  MembershipProjection,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { ApplicationRecord } from '../applications/application.entity';
import { transition } from '../applications/application-status';
import { ApplicationsService } from '../applications/applications.service';
import { JobRecord } from '../jobs/job.entity';
import { publishJobClosed } from '../jobs/job-events';
import { describeTerms, rateTermsOf, rateVerdict } from '../jobs/rate-terms';
import { ContractRecord } from './contract.entity';
import { estimatedValue } from './estimated-value';

const HireApplicantCommand = z.object({ applicationId: z.string() });

/**
 * Use case: the job's client hires an applicant, in one transaction: a contract at the proposed (accepted) rate,
 * checked again against the job's terms (PRECONDITION_FAILED outside them),
 * the application HIRED, the job FILLED, its other open applications DECLINED (JOB_FILLED).
 * The job's row lock (FOR UPDATE) makes concurrent hires for one job wait and then fail.
 */
@Injectable()
export class HireApplicant implements UseCase<z.input<typeof HireApplicantCommand>, ContractRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
    private readonly applications: ApplicationsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof HireApplicantCommand>): Promise<ContractRecord> {
    const caller = callerOf(ctx);
    const { applicationId } = parseCommand(HireApplicantCommand, input);
    if (!isUuid(applicationId)) throw new NotFoundError('Application');
    try {
      return await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
        const found = await tx.getRepository(ApplicationRecord).findOneBy({ id: applicationId });
        if (!found) throw new NotFoundError('Application');
        // Lock order everywhere: job, then its applications, then a member row.
        const job = await tx.getRepository(JobRecord).findOneOrFail({ where: { id: found.jobId }, lock: { mode: 'pessimistic_write' } });
        if (job.clientId !== caller.id) throw new ForbiddenError("Only the job's client may hire for it");
        if (job.status !== 'OPEN') throw new ConflictError(`The job is already ${job.status}: it takes no more hires`);
        const application = await tx.getRepository(ApplicationRecord).findOneOrFail({ where: { id: applicationId }, lock: { mode: 'pessimistic_write' } });
        transition(application.status, 'HIRE'); // CONFLICT before anything is written
        // Defence in depth: applyToJob refuses rates outside the job's terms, but the contract is valued
        // at this rate, so an application that got past it (older data, a bug) is never hired.
        const terms = rateTermsOf(job);
        if (rateVerdict(terms, { amount: application.proposedRate, currency: application.currency }) !== 'WITHIN') {
          throw new PreconditionFailedError(
            `The application's rate, ${canonicalIn(application.proposedRate, application.currency)} ${application.currency}, is outside the job's terms (${describeTerms(terms)}): it cannot be hired`,
          );
        }
        // The client's row lock makes "first hire" exact when one client hires for two jobs at once.
        await this.membership.lock(tx, job.clientId);
        const clientFirstHire = !(await tx.getRepository(ContractRecord).existsBy({ clientId: job.clientId }));
        const now = new Date();
        const contract = tx.getRepository(ContractRecord).create({
          id: randomUUID(),
          jobId: job.id,
          applicationId: application.id,
          clientId: job.clientId,
          talentId: application.talentId,
          rate: application.proposedRate,
          currency: application.currency,
          rateUnit: job.rateUnit,
          estimatedValue: estimatedValue(application.proposedRate, application.currency, job.rateUnit, job.hoursPerWeek, job.durationWeeks),
          status: 'ACTIVE',
          startedAt: now,
          endedAt: null,
        });
        await tx.getRepository(ContractRecord).insert(contract);
        await this.events.publish(
          tx,
          ContractStarted,
          {
            contractId: contract.id,
            jobId: job.id,
            applicationId: application.id,
            clientId: contract.clientId,
            talentId: contract.talentId,
            rate: { amount: contract.rate, currency: contract.currency },
            unit: contract.rateUnit,
            estimatedValue: { amount: contract.estimatedValue, currency: contract.currency },
            clientFirstHire,
            appliedAt: application.createdAt.toISOString(),
            startedAt: now.toISOString(),
          },
          { traceparent: ctx.traceparent },
        );
        await this.applications.resolve(tx, application, 'HIRE', 'HIRED', now, ctx.traceparent);
        await this.applications.declineOpen(tx, job.id, 'JOB_FILLED', now, ctx.traceparent);
        await tx.getRepository(JobRecord).update({ id: job.id }, { status: 'FILLED', closedAt: now });
        await publishJobClosed(this.events, tx, job, 'FILLED', now, ctx.traceparent);
        return contract;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'contracts_one_per_job')) throw new ConflictError('The job is already FILLED: it takes no more hires');
      throw error;
    }
  }
}
