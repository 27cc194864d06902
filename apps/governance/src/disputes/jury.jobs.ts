import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { z } from 'zod';
import { defineJob, JobQueue, loggableError, ROOT_LOGGER } from '@talent/platform';

/** A jury's deadline came: replace the jurors who did not vote in time, or resolve (see ApplyJuryDeadline). */
export const JuryDeadlineJob = defineJob({ name: 'disputes.jury-deadline', schema: z.object({ disputeId: z.uuid() }), attempts: 10 });

/** The safety net: every VOTING dispute with an overdue seat, in case a deadline job was lost (Redis down when it was added). */
export const SweepJuriesJob = defineJob({ name: 'disputes.sweep', schema: z.object({}), attempts: 1 });

/** Margin after `vote_by`, so that the deadline has passed on the clock the use case reads. */
const MARGIN_MS = 250;

/**
 * Adds the delayed deadline job of a dispute's round (its id names the dispute and round, so
 * adding it twice is harmless). Called after the transaction that set the deadline commits; a
 * job that cannot be added is only logged: the sweep picks the dispute up.
 */
@Injectable()
export class JuryScheduler {
  private readonly log: Logger;

  constructor(
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async deadline(disputeId: string, round: number, voteBy: Date): Promise<void> {
    if (!this.jobs) return;
    try {
      await this.jobs.add(
        JuryDeadlineJob,
        { disputeId },
        { delay: Math.max(0, voteBy.getTime() - Date.now()) + MARGIN_MS, jobId: `jury-${disputeId}-${round}-${voteBy.getTime()}` },
      );
    } catch (error) {
      this.log.warn({ err: loggableError(error), disputeId, round }, 'jury deadline job not added: the sweep will handle the dispute');
    }
  }
}
