import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProposalCanceled } from '@talent/events';
import {
  BadUserInputError,
  charLength,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  hasRole,
  inTransaction,
  isUuid,
  NotFoundError,
  PreconditionFailedError,
  type AuthUser,
} from '@talent/platform';
import { GovernanceClock } from '../shared/clock';
import { publishDecided } from './proposal-events';
import { ProposalTransitions } from './proposal-transitions';
import type { ProposalRecord } from './proposal.entity';

const MAX_REASON = 2_000;

/**
 * Use case: cancel a proposal.
 * - Its proposer, any time before it is decided for good: PENDING, ACTIVE or QUEUED.
 * - An ADMIN as guardian (the timelock's veto), only while it is QUEUED, with a reason (recorded
 *   and published).
 * Anyone else: FORBIDDEN. Already canceled: CONFLICT; executed, defeated or expired: PRECONDITION_FAILED.
 */
@Injectable()
export class CancelProposal {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: ProposalTransitions,
    private readonly events: EventPublisher,
    private readonly clock: GovernanceClock,
  ) {}

  async execute(caller: AuthUser, proposalId: string, reason?: string | null, traceparent?: string): Promise<ProposalRecord> {
    if (!isUuid(proposalId)) throw new NotFoundError('Proposal');
    const why = reason?.trim() || null;
    if (why !== null && charLength(why) > MAX_REASON) throw new BadUserInputError(`reason must be at most ${MAX_REASON} characters`, 'reason');
    const callerId = caller.id.toLowerCase();
    return inTransaction(this.dataSource, async (tx) => {
      const now = this.clock.now();
      const locked = await this.transitions.lock(tx, proposalId.toLowerCase());
      if (!locked) throw new NotFoundError('Proposal');
      const byProposer = locked.proposerId === callerId;
      if (!byProposer && !hasRole(caller, 'ADMIN')) throw new ForbiddenError('Only the proposer, or an ADMIN as guardian of a queued proposal, may cancel it');
      const p = await this.transitions.advance(tx, locked, now);
      if (p.status === 'CANCELED') throw new ConflictError('The proposal was already canceled');
      if (!['PENDING', 'ACTIVE', 'QUEUED'].includes(p.status)) throw new PreconditionFailedError(`A ${p.status} proposal cannot be canceled`);
      if (!byProposer) {
        if (p.status !== 'QUEUED') throw new PreconditionFailedError(`The guardian may cancel only a queued proposal; this one is ${p.status}`);
        if (!why) throw new BadUserInputError('The guardian must give a reason', 'reason');
      }
      const canceled = await this.transitions.patch(
        tx,
        p,
        { status: 'CANCELED', canceledAt: now, canceledBy: callerId, canceledByGuardian: !byProposer, cancelReason: why },
        now,
      );
      await this.events.publish(
        tx,
        ProposalCanceled,
        { proposalId: p.id, canceledBy: callerId, byGuardian: !byProposer, reason: why, canceledAt: now.toISOString() },
        { traceparent },
      );
      await publishDecided(tx, this.events, canceled, 'CANCELED', now);
      return canceled;
    });
  }
}
