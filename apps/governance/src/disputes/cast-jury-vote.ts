import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  callerOf,
  ConflictError,
  ForbiddenError,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  ROOT_LOGGER,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { GovernanceClock } from '../shared/clock';
import { DisputeVerdict } from './dispute-verdict';
import { currentSeats, DECISIONS, findDispute, type DisputeRecord } from './dispute.records';
import { tally } from './tally';

const CastJuryVoteCommand = z.object({
  disputeId: z.string(),
  decision: z.enum(DECISIONS, { error: 'must be FOR_TALENT or FOR_CLIENT' }),
});

/**
 * Use case: a juror votes: only a juror seated now on that dispute (FORBIDDEN otherwise, a replaced
 * no-show included), once (CONFLICT), before their deadline and while the dispute is VOTING
 * (PRECONDITION_FAILED). A vote that makes a majority of the jury size, or the last seat's
 * vote, resolves the dispute in the same transaction.
 */
@Injectable()
export class CastJuryVote implements UseCase<z.input<typeof CastJuryVoteCommand>, DisputeRecord> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly verdicts: DisputeVerdict,
    private readonly clock: GovernanceClock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof CastJuryVoteCommand>): Promise<DisputeRecord> {
    const me = callerOf(ctx).id.toLowerCase();
    const { disputeId, decision } = parseCommand(CastJuryVoteCommand, input);
    if (!isUuid(disputeId)) throw new NotFoundError('Dispute');
    const id = disputeId.toLowerCase();
    const result = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      // The dispute's row lock orders its votes, its deadline and its resolution.
      const dispute = await findDispute(tx, id, true);
      if (!dispute) throw new NotFoundError('Dispute');
      const seats = await currentSeats(tx, id);
      const mine = seats.find((s) => s.jurorId === me);
      if (!mine) throw new ForbiddenError('Only a juror of this dispute may vote on it');
      if (mine.decision) throw new ConflictError('You already voted on this dispute');
      if (dispute.status !== 'VOTING') throw new PreconditionFailedError(`The dispute is ${dispute.status}: votes are closed`);
      const now = this.clock.now();
      if (now.getTime() > mine.voteBy.getTime()) throw new PreconditionFailedError('Your voting period on this dispute has ended');
      await tx.query(`UPDATE dispute_jurors SET decision = $2, voted_at = $3 WHERE id = $1`, [mine.id, decision, now]);
      mine.decision = decision;
      const verdict = tally(seats, dispute.jurySize, false);
      if (verdict) await this.verdicts.record(tx, dispute, verdict, now, ctx.traceparent);
      return { dispute: (await findDispute(tx, id))!, resolved: verdict !== null };
    });
    this.log.info({ disputeId: id, jurorId: me, resolved: result.resolved }, 'jury vote cast');
    return result.dispute;
  }
}
