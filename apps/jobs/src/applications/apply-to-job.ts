import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ApplicationSubmitted } from '@talent/events';
import {
  BadUserInputError,
  callerOf,
  charLength,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  inUseCaseTransaction,
  isUniqueViolation,
  isUuid,
  MembershipProjection,
  MoneyInputSchema,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
  requireRole,
} from '@talent/platform';
import { JobRecord } from '../jobs/job.entity';
import { describeTerms, rateTermsOf, rateVerdict } from '../jobs/rate-terms';
import { ApplicationRecord } from './application.entity';
import { initialStatus } from './application-status';

const [MIN_COVER_LETTER, MAX_COVER_LETTER] = [1, 5000];

export const ApplyToJobCommand = z.object({
  jobId: z.string(),
  coverLetter: z
    .string()
    .trim()
    .refine(
      (letter) => charLength(letter) >= MIN_COVER_LETTER && charLength(letter) <= MAX_COVER_LETTER,
      `must be ${MIN_COVER_LETTER} to ${MAX_COVER_LETTER} characters`,
    ),
  proposedRate: MoneyInputSchema,
  /** BTRST as a decimal string; null or absent means no stake. */
  stake: z
    .string()
    .refine((stake) => /^\d+(\.\d+)?$/.test(stake) && /[1-9]/.test(stake), 'must be a positive BTRST amount')
    .nullish()
    .transform((stake) => stake ?? null),
});

/**
 * Use case: a member with the TALENT role applies to an open job of someone else, once, at a
 * rate within the job's terms (the contract will be valued at it). A member approved a moment
 * ago may not be in jobs' projection yet: it is waited for, outside the transaction.
 */
@Injectable()
export class ApplyToJob implements UseCase<z.input<typeof ApplyToJobCommand>, ApplicationRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly membership: MembershipProjection,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ApplyToJobCommand>): Promise<ApplicationRecord> {
    const caller = callerOf(ctx);
    requireRole(caller, 'TALENT');
    const command = parseCommand(ApplyToJobCommand, input);
    if (!isUuid(command.jobId)) throw new NotFoundError('Job');
    await this.membership.waitUntilMember(caller.id);
    try {
      return await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
        await this.membership.requireMember(tx, caller.id, 'apply to jobs');
        // FOR SHARE: a concurrent close or hire (FOR UPDATE) waits for this application, then declines it.
        const job = await tx.getRepository(JobRecord).findOne({ where: { id: command.jobId }, lock: { mode: 'pessimistic_read' } });
        if (!job) throw new NotFoundError('Job');
        if (job.clientId === caller.id) throw new ForbiddenError('Clients cannot apply to their own job');
        if (job.status !== 'OPEN') throw new PreconditionFailedError(`This job is ${job.status}: it takes no more applications`);
        if (command.proposedRate.currency !== job.currency) {
          throw new BadUserInputError(`proposedRate must be in the job's budget currency, ${job.currency}`, 'proposedRate.currency');
        }
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
          { traceparent: ctx.traceparent },
        );
        return application;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'applications_one_per_talent_per_job')) throw new ConflictError('You have already applied to this job');
      throw error;
    }
  }
}
