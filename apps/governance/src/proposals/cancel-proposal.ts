import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ProposalCanceled } from '@talent/events';
import {
  BadUserInputError,
  callerOf,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  hasRole,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { GovernanceClock } from '../shared/clock';
import { OptionalReasonSchema } from './proposal.commands';
import { publishDecided } from './proposal-events';
import { ProposalTransitions } from './proposal-transitions';
import type { ProposalRecord } from './proposal.entity';

const CancelProposalCommand = z.object({ proposalId: z.string(), reason: OptionalReasonSchema });

/**
 * Use case: cancel a proposal.
 * - Its proposer, any time before it is decided for good: PENDING, ACTIVE or QUEUED.
 * - An ADMIN as guardian (the timelock's veto), only while it is QUEUED, with a reason (recorded
 *   and published).
 * Anyone else: FORBIDDEN. Already canceled: CONFLICT; executed, defeated or expired: PRECONDITION_FAILED.
 */
@Injectable()
export class CancelProposal implements UseCase<z.input<typeof CancelProposalCommand>, ProposalRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: ProposalTransitions,
    private readonly events: EventPublisher,
    private readonly clock: GovernanceClock,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof CancelProposalCommand>): Promise<ProposalRecord> {
    const caller = callerOf(ctx);
    const { proposalId, reason: why } = parseCommand(CancelProposalCommand, input);
    if (!isUuid(proposalId)) throw new NotFoundError('Proposal');
    const callerId = caller.id.toLowerCase();
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
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
        { traceparent: ctx.traceparent },
      );
      await publishDecided(tx, this.events, canceled, 'CANCELED', now);
      return canceled;
    });
  }
}
