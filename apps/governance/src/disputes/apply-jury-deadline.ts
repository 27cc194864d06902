import { Inject, Injectable, type OnApplicationBootstrap, Optional } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import {
  assertSystem,
  inUseCaseTransaction,
  JobQueue,
  loggableError,
  parseCommand,
  ProcessesJob,
  ROOT_LOGGER,
  systemContext,
  type JobData,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { GovernanceClock } from '../shared/clock';
import { DisputeVerdict } from './dispute-verdict';
import { currentSeats, findDispute } from './dispute.records';
import { JuryDeadlineJob, JuryScheduler, SweepJuriesJob } from './jury.jobs';
import { JuryService } from './jury.service';
import { tally } from './tally';

/** Draw rounds per dispute: the first jury and at most two rounds of replacements. */
export const MAX_ROUNDS = 3;
/** How often the safety-net sweep looks for overdue juries. */
const SWEEP_EVERY_MS = 30_000;

export type DeadlineOutcome =
  { kind: 'NOTHING' } | { kind: 'WAITING'; next: Date } | { kind: 'REPLACED'; round: number; replaced: number; voteBy: Date } | { kind: 'RESOLVED' };

/**
 * Use case (the system's: the deadline job, the sweep): a jury's deadline: every juror seated now who has not voted by their `vote_by` is replaced
 * by a new draw (round + 1, from the dispute's seed, among members still eligible; the
 * no-show earns nothing and cannot vote any more). When no replacement can be drawn (too few
 * eligible members) or the rounds are spent, the dispute is resolved with the votes cast
 * (see `tally`). Runs under the dispute's row lock: a vote and the deadline never interleave.
 */
@Injectable()
export class ApplyJuryDeadline implements UseCase<z.input<typeof JuryDeadlineJob.schema>, DeadlineOutcome>, OnApplicationBootstrap {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly jury: JuryService,
    private readonly verdicts: DisputeVerdict,
    private readonly scheduler: JuryScheduler,
    private readonly clock: GovernanceClock,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs?.repeat('disputes-sweep', SweepJuriesJob, {}, { every: SWEEP_EVERY_MS });
  }

  @ProcessesJob(JuryDeadlineJob)
  async onDeadline(data: JobData<typeof JuryDeadlineJob>): Promise<void> {
    await this.execute(systemContext(), data);
  }

  /** Every VOTING dispute with an overdue seat (oldest first); one dispute's trouble does not stop the others. */
  @ProcessesJob(SweepJuriesJob)
  async sweep(): Promise<number> {
    const rows: Array<{ dispute_id: string }> = await this.dataSource.query(
      `SELECT DISTINCT j.dispute_id FROM dispute_jurors j JOIN disputes d ON d.id = j.dispute_id
        WHERE d.status = 'VOTING' AND j.replaced_by IS NULL AND j.decision IS NULL AND j.vote_by <= $1
        LIMIT 100`,
      [this.clock.now()],
    );
    for (const { dispute_id } of rows) {
      try {
        await this.execute(systemContext(), { disputeId: dispute_id });
      } catch (error) {
        this.log.error({ err: loggableError(error), disputeId: dispute_id }, 'jury sweep could not handle a dispute');
      }
    }
    return rows.length;
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof JuryDeadlineJob.schema>): Promise<DeadlineOutcome> {
    assertSystem(ctx, 'ApplyJuryDeadline');
    const { disputeId } = parseCommand(JuryDeadlineJob.schema, input);
    const outcome = await inUseCaseTransaction(ctx, this.dataSource, async (tx): Promise<DeadlineOutcome> => {
      const now = this.clock.now();
      const dispute = await findDispute(tx, disputeId, true);
      if (!dispute || dispute.status !== 'VOTING') return { kind: 'NOTHING' };
      const seats = await currentSeats(tx, disputeId);
      const pending = seats.filter((s) => s.decision === null);
      const overdue = pending.filter((s) => s.voteBy.getTime() <= now.getTime());
      if (overdue.length === 0) {
        const next = pending.reduce<Date | null>((min, s) => (min === null || s.voteBy < min ? s.voteBy : min), null);
        return next ? { kind: 'WAITING', next } : { kind: 'NOTHING' };
      }
      const seated =
        dispute.round < MAX_ROUNDS
          ? await this.jury.seat(
              tx,
              dispute,
              dispute.round + 1,
              overdue.map((s) => ({ seat: s.seat, replaces: s.jurorId })),
              now,
              ctx.traceparent,
            )
          : null;
      if (seated) return { kind: 'REPLACED', round: dispute.round + 1, replaced: seated.length, voteBy: seated[0].voteBy };
      // No replacement possible: the votes cast decide.
      await this.verdicts.record(tx, dispute, tally(seats, dispute.jurySize, true)!, now, ctx.traceparent);
      return { kind: 'RESOLVED' };
    });
    if (outcome.kind === 'REPLACED') {
      this.log.info({ disputeId, round: outcome.round, replaced: outcome.replaced }, 'jurors who did not vote in time were replaced');
      await this.scheduler.deadline(disputeId, outcome.round, outcome.voteBy);
    }
    if (outcome.kind === 'WAITING') await this.scheduler.deadline(disputeId, 0, outcome.next);
    return outcome;
  }
}
