import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import {
  type AuthUser,
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  inTransaction,
  isUuid,
  NotFoundError,
  PreconditionFailedError,
  ROOT_LOGGER,
} from '@talent/platform';
import { GovernanceClock } from '../shared/clock';
import { currentSeats, DECISIONS, findDispute, type DisputeDecision, type DisputeRecord } from './dispute.records';
import { ResolveDispute } from './resolve-dispute';
import { tally } from './tally';

/**
 * A juror votes: only a juror seated now on that dispute (FORBIDDEN otherwise, a replaced
 * no-show included), once (CONFLICT), before their deadline and while the dispute is VOTING
 * (PRECONDITION_FAILED). A vote that makes a majority of the jury size, or the last seat's
 * vote, resolves the dispute in the same transaction.
 */
@Injectable()
export class CastJuryVote {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly resolve: ResolveDispute,
    private readonly clock: GovernanceClock,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async execute(caller: AuthUser, disputeId: string, decision: DisputeDecision, traceparent?: string): Promise<DisputeRecord> {
    if (!isUuid(disputeId)) throw new NotFoundError('Dispute');
    if (!DECISIONS.includes(decision)) throw new BadUserInputError('decision must be FOR_TALENT or FOR_CLIENT', 'decision');
    const me = caller.id.toLowerCase();
    const id = disputeId.toLowerCase();
    const result = await inTransaction(this.dataSource, async (tx) => {
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
      if (verdict) await this.resolve.execute(tx, dispute, verdict, now, traceparent);
      return { dispute: (await findDispute(tx, id))!, resolved: verdict !== null };
    });
    this.log.info({ disputeId: id, jurorId: me, resolved: result.resolved }, 'jury vote cast');
    return result.dispute;
  }
}
