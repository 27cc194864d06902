import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { VoteCast } from '@talent/events';
import {
  callerOf,
  ConflictError,
  EventPublisher,
  inUseCaseTransaction,
  isUniqueViolation,
  isUuid,
  MembershipProjection,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
  assertOwnTransaction,
} from '@talent/platform';
import { VotingPowerService } from '../delegation/voting-power.service';
import { GovernanceParameters } from '../parameters/governance-parameters';
import { GovernanceClock } from '../shared/clock';
import { ProposalScheduler } from '../proposals/proposal-scheduler';
import { OptionalReasonSchema } from '../proposals/proposal.commands';
import { lateQuorumEnd, quorumReached } from '../proposals/proposal-state';
import { ProposalTransitions, secondsOf } from '../proposals/proposal-transitions';
import { ProposalRecord } from '../proposals/proposal.entity';
import { VoteRecord } from './vote.entity';

const CastVoteCommand = z.object({ proposalId: z.string(), support: z.enum(['FOR', 'AGAINST', 'ABSTAIN']), reason: OptionalReasonSchema });

/**
 * Use case: a member votes on an ACTIVE proposal, once.
 * - weight = the voter's voting power at the proposal's snapshot (own balance unless delegated
 *   away, plus what was delegated to them, as checkpointed then): tokens received or delegated
 *   after the snapshot do not count, so moving tokens to a second account after voting gives it
 *   nothing to vote with.
 * - Only members at the snapshot with power > 0 (PRECONDITION_FAILED); a second vote is a CONFLICT
 *   (checked, and enforced by UNIQUE (proposal_id, voter_id)); outside the voting window PRECONDITION_FAILED.
 * - The tally is updated in the same transaction, on NUMERIC, with the proposal row locked.
 *   The vote that first reaches quorum with less than governance.lateQuorumExtensionSeconds
 *   left moves the end (late-quorum prevention); the end job is re-scheduled.
 */
@Injectable()
export class CastVote implements UseCase<z.input<typeof CastVoteCommand>, VoteRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly power: VotingPowerService,
    private readonly membership: MembershipProjection,
    private readonly parameters: GovernanceParameters,
    private readonly transitions: ProposalTransitions,
    private readonly scheduler: ProposalScheduler,
    private readonly events: EventPublisher,
    private readonly clock: GovernanceClock,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof CastVoteCommand>): Promise<VoteRecord> {
    assertOwnTransaction(ctx, 'CastVote');
    const caller = callerOf(ctx);
    const { proposalId, support, reason: why } = parseCommand(CastVoteCommand, input);
    if (!isUuid(proposalId)) throw new NotFoundError('Proposal');
    const voterId = caller.id.toLowerCase();

    const { vote, proposal, reschedule } = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const now = this.clock.now();
      const locked = await this.transitions.lock(tx, proposalId.toLowerCase());
      if (!locked) throw new NotFoundError('Proposal');
      // A start or end job that has not run yet does not change the answer: the time decides.
      const p = await this.transitions.advance(tx, locked, now);
      if (p.status !== 'ACTIVE') throw new PreconditionFailedError(`Voting is not open: the proposal is ${p.status}`);
      if (await tx.getRepository(VoteRecord).existsBy({ proposalId: p.id, voterId })) throw new ConflictError('You already voted on this proposal');
      if (!(await this.membership.wasMemberAt(tx, voterId, p.snapshotAt))) {
        throw new PreconditionFailedError("Only members (KYC approved) at the proposal's snapshot may vote");
      }
      const weight = await this.power.votingPowerAt(tx, voterId, p.snapshotAt);
      if (weight === '0') throw new PreconditionFailedError("You had no voting power at the proposal's snapshot");

      const record = Object.assign(new VoteRecord(), { id: randomUUID(), proposalId: p.id, voterId, support, weight, reason: why, createdAt: now });
      try {
        await tx.getRepository(VoteRecord).insert(record);
      } catch (error) {
        if (isUniqueViolation(error, 'votes_proposal_voter_key')) throw new ConflictError('You already voted on this proposal');
        throw error;
      }
      const before = { forVotes: p.forVotes, againstVotes: p.againstVotes, abstainVotes: p.abstainVotes, quorum: p.quorum };
      const column = { FOR: 'for_votes', AGAINST: 'against_votes', ABSTAIN: 'abstain_votes' }[support];
      const [[tally]] = (await tx.query(
        `UPDATE proposals SET ${column} = ${column} + $2::numeric, updated_at = $3 WHERE id = $1
         RETURNING for_votes::text AS "forVotes", against_votes::text AS "againstVotes", abstain_votes::text AS "abstainVotes"`,
        [p.id, weight, now],
      )) as [Array<{ forVotes: string; againstVotes: string; abstainVotes: string }>, number];
      const after = { ...tally, quorum: p.quorum };
      let updated = Object.assign(new ProposalRecord(), p, tally, { updatedAt: now });
      let moved = false;
      if (!p.quorumReachedAt && quorumReached(after)) {
        const key = 'governance.lateQuorumExtensionSeconds';
        const newEnd = lateQuorumEnd(before, after, p.endsAt, now, secondsOf(await this.parameters.get(tx, key), key));
        updated = await this.transitions.patch(
          tx,
          updated,
          newEnd ? { quorumReachedAt: now, endsAt: newEnd, extendedByLateQuorum: true } : { quorumReachedAt: now },
          now,
        );
        moved = newEnd !== null;
      }
      await this.events.publish(
        tx,
        VoteCast,
        { voteId: record.id, proposalId: p.id, voterId, support, weight, castAt: now.toISOString() },
        { traceparent: ctx.traceparent },
      );
      // A start applied here (its job had not run yet) or a moved end: the next job is scheduled after the commit.
      return { vote: record, proposal: updated, reschedule: moved || locked.status !== p.status };
    });
    if (reschedule) await this.scheduler.schedule(proposal);
    return vote;
  }
}
