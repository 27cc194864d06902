import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { GrantApproved, ProposalExecuted } from '@talent/events';
import {
  callerOf,
  canonicalTokens,
  ConflictError,
  EventPublisher,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
  assertOwnTransaction,
} from '@talent/platform';
import { GovernanceParameters } from '../parameters/governance-parameters';
import { GovernanceClock } from '../shared/clock';
import { publishDecided } from './proposal-events';
import { ProposalScheduler } from './proposal-scheduler';
import { ProposalTransitions } from './proposal-transitions';
import type { ProposalRecord } from './proposal.entity';

const ExecuteProposalCommand = z.object({ proposalId: z.string() });

/**
 * Use case: anyone signed in executes a QUEUED proposal once its timelock has passed and before
 * it expires. In ONE transaction, with the proposal row locked: EXECUTED (with the executor),
 * the parameters' new values and their ParameterChanged (PARAMETER_CHANGE), GrantApproved
 * (GRANT: rewards pays it from the treasury, once per proposal), ProposalExecuted and the
 * partner's PublicProposalDecided. A second execution is a CONFLICT and changes nothing.
 */
@Injectable()
export class ExecuteProposal implements UseCase<z.input<typeof ExecuteProposalCommand>, ProposalRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly parameters: GovernanceParameters,
    private readonly transitions: ProposalTransitions,
    private readonly scheduler: ProposalScheduler,
    private readonly events: EventPublisher,
    private readonly clock: GovernanceClock,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ExecuteProposalCommand>): Promise<ProposalRecord> {
    assertOwnTransaction(ctx, 'ExecuteProposal');
    const caller = callerOf(ctx);
    const { proposalId } = parseCommand(ExecuteProposalCommand, input);
    if (!isUuid(proposalId)) throw new NotFoundError('Proposal');
    const executed = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const now = this.clock.now();
      const locked = await this.transitions.lock(tx, proposalId.toLowerCase());
      if (!locked) throw new NotFoundError('Proposal');
      const p = await this.transitions.advance(tx, locked, now);
      if (p.status === 'EXECUTED') throw new ConflictError('The proposal was already executed');
      if (p.status !== 'QUEUED') throw new PreconditionFailedError(`Only a queued proposal can be executed; this one is ${p.status}`);
      if (now.getTime() < p.executableAt!.getTime()) throw new PreconditionFailedError(`The timelock runs until ${p.executableAt!.toISOString()}`);

      const done = await this.transitions.patch(tx, p, { status: 'EXECUTED', executedAt: now, executedBy: caller.id.toLowerCase() }, now);
      if (p.kind === 'PARAMETER_CHANGE') await this.parameters.apply(tx, p.parameterChanges, p.id, now);
      if (p.kind === 'GRANT') {
        await this.events.publish(
          tx,
          GrantApproved,
          { proposalId: p.id, recipientId: p.grantRecipientId!, amount: canonicalTokens(p.grantAmount!), approvedAt: now.toISOString() },
          { traceparent: ctx.traceparent },
        );
      }
      await this.events.publish(
        tx,
        ProposalExecuted,
        { proposalId: p.id, kind: p.kind, executedBy: done.executedBy!, executedAt: now.toISOString() },
        { traceparent: ctx.traceparent },
      );
      await publishDecided(tx, this.events, done, 'EXECUTED', now);
      return done;
    });
    // Nothing is due any more; kept for symmetry with the other transitions (a no-op for EXECUTED).
    await this.scheduler.schedule(executed);
    return executed;
  }
}
