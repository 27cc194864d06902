import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { JobReferralCreated } from '@talent/events';
import {
  APP_CONFIG,
  awaitProjection,
  BadUserInputError,
  callerOf,
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
import { FraudCheck } from '../fraud/fraud-check';
import { lockReferralGraph } from '../fraud/referral-graph.lock';
import { ReferralInvalidator } from '../fraud/referral-invalidator';
import type { ReferralsConfig } from '../config';
import { ProjectionsService } from '../projections/projections.service';
import { JobReferralRecord, jobReferralRef } from './job-referral.entity';

export const MAX_NOTE_LENGTH = 1000;

const ReferTalentToJobCommand = z.object({
  jobId: z.string().transform((id) => id.toLowerCase()),
  talentId: z.string().transform((id) => id.toLowerCase()),
  note: z
    .string()
    .trim()
    .max(MAX_NOTE_LENGTH, `must be at most ${MAX_NOTE_LENGTH} characters`)
    .nullish()
    .transform((note) => note || null),
});

/**
 * Use case: a member refers a talent to an open job, before the talent applies to it. Refused
 * requests (errors) change nothing. A referral that closes a ring is kept, INVALID with
 * REFERRAL_RING, and announced.
 */
@Injectable()
export class ReferTalentToJob implements UseCase<z.input<typeof ReferTalentToJobCommand>, JobReferralRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly projections: ProjectionsService,
    private readonly membership: MembershipProjection,
    private readonly fraud: FraudCheck,
    private readonly invalidator: ReferralInvalidator,
    private readonly events: EventPublisher,
    @Inject(APP_CONFIG) private readonly config: Pick<ReferralsConfig, 'PROJECTION_WAIT_MS'>,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ReferTalentToJobCommand>): Promise<JobReferralRecord> {
    const caller = callerOf(ctx);
    const { jobId, talentId, note } = parseCommand(ReferTalentToJobCommand, input);
    const { traceparent } = ctx;
    await this.awaitProjections(caller.id, jobId, talentId);
    try {
      return await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
        if (!(await this.membership.isMember(tx, caller.id))) {
          throw new PreconditionFailedError('Only members may refer talent: complete KYC first');
        }
        if (talentId === caller.id) throw new ForbiddenError('You cannot refer yourself to a job');
        const talent = isUuid(talentId) ? await this.projections.findUser(tx, talentId) : null;
        if (!talent) throw new NotFoundError('Talent');
        if (!talent.roles.includes('TALENT')) throw new BadUserInputError('This user is not a talent', 'talentId');
        const job = isUuid(jobId) ? await this.projections.findJob(tx, jobId) : null;
        if (!job) throw new NotFoundError('Job');
        if (job.status !== 'OPEN') throw new PreconditionFailedError(`This job is ${job.status.toLowerCase()}: it takes no more referrals`);
        if (job.clientId === caller.id) throw new ForbiddenError("A job's client cannot refer talent to their own job");
        const repo = tx.getRepository(JobReferralRecord);
        if (await repo.existsBy({ jobId, talentId })) throw duplicate();
        // Known up front when jobs' ApplicationSubmitted already arrived; if it lags, qualification
        // refuses the referral anyway (REFERRED_AFTER_APPLICATION, on ContractStarted.appliedAt).
        if (await this.projections.hasApplied(tx, jobId, talentId)) {
          throw new PreconditionFailedError('This talent already applied to this job: a job referral must come before the application');
        }

        await lockReferralGraph(tx);
        const reason = await this.fraud.onCreation(tx, caller.id, talentId);
        const now = new Date();
        const record = repo.create({
          id: randomUUID(),
          jobId,
          connectorId: caller.id,
          talentId,
          note,
          status: reason ? 'INVALID' : 'SIGNED_UP',
          invalidReason: reason,
          rewardAmount: null,
          createdAt: now,
          updatedAt: now,
        });
        await repo.insert(record);
        await this.events.publish(
          tx,
          JobReferralCreated,
          { jobReferralId: record.id, jobId, connectorId: caller.id, talentId, createdAt: now.toISOString() },
          { traceparent },
        );
        if (reason) await this.invalidator.announce(tx, jobReferralRef(record), reason, traceparent);
        return record;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'job_referrals_job_talent_key')) throw duplicate();
      throw error;
    }
  }

  /**
   * Read-your-writes: the caller approved, the talent registered or the job posted a moment ago
   * may not have reached referrals' projections yet. Each missing one is waited for (together,
   * a bounded time: PROJECTION_WAIT_MS), outside the transaction; the checks inside it decide.
   */
  private async awaitProjections(callerId: string, jobId: string, talentId: string): Promise<void> {
    const wait = <T>(read: () => Promise<T>) => awaitProjection(read, { timeoutMs: this.config.PROJECTION_WAIT_MS });
    await Promise.all([
      this.membership.waitUntilMember(callerId),
      isUuid(talentId) && talentId !== callerId ? wait(() => this.projections.findUser(this.dataSource.manager, talentId)) : undefined,
      isUuid(jobId) ? wait(() => this.projections.findJob(this.dataSource.manager, jobId)) : undefined,
    ]);
  }
}

const duplicate = () => new ConflictError('This talent was already referred to this job');
