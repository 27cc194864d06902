import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ContractCompleted, ContractStarted } from '@talent/events';
import { publishJobClosed } from '../jobs/job-events';
import {
  type AuthUser,
  canonicalIn,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  hasRole,
  inTransaction,
  isUniqueViolation,
  isUuid,
  MembershipProjection,
  NotFoundError,
  PreconditionFailedError,
} from '@talent/platform';
import { ApplicationRecord } from '../applications/application.entity';
import { transition } from '../applications/application-status';
import { ApplicationsService } from '../applications/applications.service';
import { JobRecord } from '../jobs/job.entity';
import { describeTerms, rateTermsOf, rateVerdict } from '../jobs/rate-terms';
import { estimatedValue } from './estimated-value';
import { ContractRecord } from './contract.entity';

@Injectable()
export class ContractsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
    private readonly applications: ApplicationsService,
  ) {}

  /**
   * The job's client hires an applicant, in one transaction: a contract at the proposed (accepted) rate,
   * checked again against the job's terms (PRECONDITION_FAILED outside them),
   * the application HIRED, the job FILLED, its other open applications DECLINED (JOB_FILLED).
   * The job's row lock (FOR UPDATE) makes concurrent hires for one job wait and then fail.
   */
  async hire(caller: AuthUser, applicationId: string, traceparent?: string): Promise<ContractRecord> {
    if (!isUuid(applicationId)) throw new NotFoundError('Application');
    try {
      return await inTransaction(this.dataSource, async (tx) => {
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
          { traceparent },
        );
        await this.applications.resolve(tx, application, 'HIRE', 'HIRED', now, traceparent);
        await this.applications.declineOpen(tx, job.id, 'JOB_FILLED', now, traceparent);
        await tx.getRepository(JobRecord).update({ id: job.id }, { status: 'FILLED', closedAt: now });
        await publishJobClosed(this.events, tx, job, 'FILLED', now, traceparent);
        return contract;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'contracts_one_per_job')) throw new ConflictError('The job is already FILLED: it takes no more hires');
      throw error;
    }
  }

  /** The contract's client marks an active contract completed. */
  complete(caller: AuthUser, contractId: string, traceparent?: string): Promise<ContractRecord> {
    if (!isUuid(contractId)) throw new NotFoundError('Contract');
    return inTransaction(this.dataSource, async (tx) => {
      const contract = await tx.getRepository(ContractRecord).findOne({ where: { id: contractId }, lock: { mode: 'pessimistic_write' } });
      if (!contract) throw new NotFoundError('Contract');
      if (contract.clientId !== caller.id) throw new ForbiddenError("Only the contract's client may complete it");
      if (contract.status !== 'ACTIVE') throw new ConflictError(`The contract is ${contract.status}, not ACTIVE`);
      const now = new Date();
      await tx.getRepository(ContractRecord).update({ id: contract.id }, { status: 'COMPLETED', endedAt: now });
      await this.events.publish(
        tx,
        ContractCompleted,
        { contractId: contract.id, jobId: contract.jobId, clientId: contract.clientId, talentId: contract.talentId, completedAt: now.toISOString() },
        { traceparent },
      );
      return { ...contract, status: 'COMPLETED', endedAt: now };
    });
  }

  findById(id: string): Promise<ContractRecord | null> {
    return isUuid(id) ? this.dataSource.getRepository(ContractRecord).findOneBy({ id }) : Promise.resolve(null);
  }

  /** A contract for its talent, its client or an admin; FORBIDDEN for anyone else; null when unknown. */
  async findVisible(caller: AuthUser, id: string): Promise<ContractRecord | null> {
    const contract = await this.findById(id);
    if (contract && !isParty(caller, contract) && !hasRole(caller, 'ADMIN')) {
      throw new ForbiddenError("Only the contract's talent and client (and admins) may see it");
    }
    return contract;
  }

  /** The user's contracts, as talent or client, newest first. */
  forUser(userId: string): Promise<ContractRecord[]> {
    return this.dataSource.getRepository(ContractRecord).find({
      where: [{ talentId: userId }, { clientId: userId }],
      order: { startedAt: 'DESC', id: 'DESC' },
    });
  }
}

export const isParty = (caller: AuthUser, contract: ContractRecord): boolean => caller.id === contract.talentId || caller.id === contract.clientId;
