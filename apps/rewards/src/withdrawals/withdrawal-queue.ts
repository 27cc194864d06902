import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { JobQueue, ROOT_LOGGER } from '@talent/platform';
import { ProcessWithdrawal } from './withdrawal.jobs';

/** Queues requested withdrawals for the WithdrawalProcessor. */
@Injectable()
export class WithdrawalQueue implements OnApplicationBootstrap {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
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
}
