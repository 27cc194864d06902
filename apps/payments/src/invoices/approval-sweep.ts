import { Inject, Injectable, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { APP_CONFIG, defineJob, JobQueue, loggableError, ProcessesJob, ROOT_LOGGER } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { PurgeIdempotencyKeys } from './idempotency-keys';
import { PaymentAttemptRecord } from './invoice.entity';
import { PaymentAttempts } from './payment-attempts';

/** Resolves approvals whose charge outcome is overdue (see ApprovalSweep). */
export const SweepApprovals = defineJob({ name: 'approvals.sweep', schema: z.object({}), attempts: 1 });

/** At most this many attempts per sweep run, oldest first; the next run takes the rest. */
const BATCH = 200;

/**
 * The safety net under every approval: an attempt still PENDING after APPROVAL_SWEEP_AFTER_MS
 * (the process crashed between the approval and the charge, the charge call timed out, the
 * webhook was lost) is resolved by asking the provider for the charge made with its idempotency
 * key, and charging with that same key if none was made: the client approved, and the key makes
 * a second charge impossible. So money is never left in limbo, and never taken twice.
 */
@Injectable()
export class ApprovalSweep implements OnApplicationBootstrap {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly attempts: PaymentAttempts,
    @Inject(APP_CONFIG) private readonly config: PaymentsConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'approval-sweep' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs?.repeat('approvals-sweep', SweepApprovals, {}, { every: this.config.APPROVAL_SWEEP_INTERVAL_MS });
    await this.jobs?.repeat('idempotency-keys-purge', PurgeIdempotencyKeys, {}, { every: 3_600_000 });
  }

  @ProcessesJob(SweepApprovals)
  async sweep(): Promise<{ resolved: number; waiting: number }> {
    const overdue = await this.dataSource
      .getRepository(PaymentAttemptRecord)
      .createQueryBuilder('a')
      .where(`a.status = 'PENDING' AND a.created_at < now() - make_interval(secs => :after)`, { after: this.config.APPROVAL_SWEEP_AFTER_MS / 1000 })
      .orderBy('a.created_at', 'ASC')
      .limit(BATCH)
      .getMany();
    let resolved = 0;
    for (const attempt of overdue) {
      try {
        const invoice = await this.attempts.charge(attempt, { resumed: true });
        if (invoice.status !== 'APPROVED') resolved += 1;
      } catch (error) {
        // One attempt's trouble does not stop the others; it is tried again next run.
        this.log.error({ err: loggableError(error), attemptId: attempt.id }, 'approval sweep could not resolve an attempt');
      }
    }
    if (overdue.length > 0) this.log.info({ overdue: overdue.length, resolved }, 'approval sweep');
    return { resolved, waiting: overdue.length - resolved };
  }
}
