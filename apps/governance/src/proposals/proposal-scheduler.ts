import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { JobQueue, loggableError, ROOT_LOGGER } from '@talent/platform';
import { GovernanceClock } from '../shared/clock';
import { ProposalTransitionJob } from './proposal.jobs';
import { nextTransition, type ProposalTiming } from './proposal-state';

/**
 * Schedules a proposal's next timed transition as a BullMQ delayed job, keyed by proposal,
 * transition and due time (`proposal-<id>-<transition>-<ms>`): scheduling the same thing twice
 * is a no-op, and a moved end (late quorum) gets a new job while the old one finds nothing due.
 * Called after the commit that changed the proposal. A failure to schedule is logged, not
 * thrown: the sweep and the start-up reconciliation (ProposalLifecycle) catch up from the database.
 */
@Injectable()
export class ProposalScheduler {
  private readonly log: Logger;

  constructor(
    private readonly clock: GovernanceClock,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'proposal-scheduler' });
  }

  async schedule(p: ProposalTiming & { id: string }): Promise<void> {
    const next = nextTransition(p);
    if (!next || !this.jobs) return;
    const at = next.at.getTime();
    const delay = Math.max(0, at - this.clock.now().getTime());
    try {
      await this.jobs.add(
        ProposalTransitionJob,
        { proposalId: p.id, transition: next.transition, at },
        { jobId: `proposal-${p.id}-${next.transition}-${at}`, delay },
      );
    } catch (error) {
      this.log.warn(
        { err: loggableError(error), proposalId: p.id, transition: next.transition },
        'could not schedule a proposal transition; the sweep will catch up',
      );
    }
  }
}
