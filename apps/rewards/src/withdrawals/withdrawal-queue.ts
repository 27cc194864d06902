import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, JobQueue, ROOT_LOGGER } from '@talent/platform';
import type { RewardsConfig } from '../config';
import { CheckWithdrawal, ProcessWithdrawal } from './withdrawal.jobs';

const MAX_RECHECK_MS = 3_600_000;

/** Queues requested withdrawals (SubmitWithdrawal) and the re-checks of those whose transfer's outcome is not known yet (RecheckWithdrawal). */
@Injectable()
export class WithdrawalQueue implements OnApplicationBootstrap {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
    @Optional() @Inject(APP_CONFIG) private readonly config?: Pick<RewardsConfig, 'WITHDRAWAL_RECHECK_MS'>,
  ) {
    this.log = logger.child({ component: 'withdrawals' });
  }

  /** Requests still waiting after a restart (e.g. the process died between commit and enqueue) are queued again. */
  async onApplicationBootstrap(): Promise<void> {
    const waiting: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM withdrawals WHERE status = 'REQUESTED' ORDER BY created_at`);
    for (const { id } of waiting) await this.enqueue(id);
    if (waiting.length) this.log.info({ count: waiting.length }, 'requested withdrawals queued again');
  }

  async enqueue(withdrawalId: string): Promise<void> {
    if (!this.jobs) throw new Error('the job queue is not configured');
    // The job id is the withdrawal id: queueing the same withdrawal again is a no-op while its job exists.
    await this.jobs.add(ProcessWithdrawal, { withdrawalId }, { jobId: withdrawalId });
  }

  /** The `check`-th re-check (from 1), later each time: WITHDRAWAL_RECHECK_MS doubled per check, at most an hour. */
  async scheduleCheck(withdrawalId: string, check: number): Promise<void> {
    if (!this.jobs) throw new Error('the job queue is not configured');
    const first = this.config?.WITHDRAWAL_RECHECK_MS ?? 60_000;
    const delay = Math.min(first * 2 ** Math.min(check - 1, 20), MAX_RECHECK_MS);
    // One job id per check: the job that schedules the next one is still active, so the same id would be a no-op.
    await this.jobs.add(CheckWithdrawal, { withdrawalId, check }, { jobId: `check-${withdrawalId}-${check}`, delay });
    this.log.info({ withdrawalId, check, delayMs: delay }, 'withdrawal re-check scheduled');
  }
}
