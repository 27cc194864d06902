import { Inject, Injectable, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, JobQueue, loggableError, ProcessesJob, ROOT_LOGGER, systemContext, type JobData } from '@talent/platform';
import type { GovernanceConfig } from '../config';
import { GovernanceClock } from '../shared/clock';
import { AdvanceProposal } from './advance-proposal';
import { ProposalScheduler } from './proposal-scheduler';
import { ProposalTransitionJob, SweepProposals } from './proposal.jobs';
import type { ProposalRecord } from './proposal.entity';

/** At most this many proposals per sweep run; the next run takes the rest. */
const BATCH = 500;

/**
 * Drives proposals through time. Each timed transition is a delayed job (ProposalScheduler);
 * its processor runs AdvanceProposal, which applies what is due and schedules the next one. Nothing
 * depends on a job surviving: at start-up every overdue transition is applied and every open
 * proposal's next transition re-scheduled from the database, and a repeatable sweep applies
 * any transition still overdue (a job lost with Redis, or failed for good).
 */
@Injectable()
export class ProposalLifecycle implements OnApplicationBootstrap {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly advanceProposal: AdvanceProposal,
    private readonly scheduler: ProposalScheduler,
    private readonly clock: GovernanceClock,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() @Inject(APP_CONFIG) private readonly config?: Pick<GovernanceConfig, 'PROPOSAL_SWEEP_INTERVAL_MS'>,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'proposal-lifecycle' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs?.repeat('proposals-sweep', SweepProposals, {}, { every: this.config?.PROPOSAL_SWEEP_INTERVAL_MS ?? 60_000 });
    await this.reconcile();
  }

  /** Applies every overdue transition, then (re-)schedules the next transition of every open proposal. */
  async reconcile(): Promise<void> {
    await this.sweep();
    const open: ProposalRecord[] = await this.dataSource.query(
      `SELECT id, status, starts_at AS "startsAt", ends_at AS "endsAt", expires_at AS "expiresAt"
         FROM proposals WHERE status IN ('PENDING', 'ACTIVE', 'QUEUED')`,
    );
    for (const p of open) await this.scheduler.schedule(p);
    if (open.length) this.log.info({ open: open.length }, 'proposal transitions re-scheduled');
  }

  @ProcessesJob(ProposalTransitionJob)
  async onTransitionDue(data: JobData<typeof ProposalTransitionJob>): Promise<void> {
    await this.advanceProposal.execute(systemContext(), data);
  }

  @ProcessesJob(SweepProposals)
  async sweep(): Promise<{ advanced: number }> {
    const overdue: Array<{ id: string }> = await this.dataSource.query(
      `SELECT id FROM proposals
        WHERE (status = 'PENDING' AND starts_at <= $1) OR (status = 'ACTIVE' AND ends_at <= $1) OR (status = 'QUEUED' AND expires_at <= $1)
        ORDER BY created_at LIMIT ${BATCH}`,
      [this.clock.now()],
    );
    let advanced = 0;
    for (const { id } of overdue) {
      try {
        await this.advanceProposal.execute(systemContext(), { proposalId: id });
        advanced += 1;
      } catch (error) {
        // One proposal's trouble does not stop the others; it is tried again next run.
        this.log.error({ err: loggableError(error), proposalId: id }, 'proposal sweep could not advance a proposal');
      }
    }
    if (overdue.length) this.log.info({ overdue: overdue.length, advanced }, 'proposal sweep');
    return { advanced };
  }
}
