import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { assertSystem, assertOwnTransaction, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { GovernanceClock } from '../shared/clock';
import { ProposalScheduler } from './proposal-scheduler';
import { ProposalTransitionJob } from './proposal.jobs';
import type { ProposalRecord } from './proposal.entity';
import { nextTransition } from './proposal-state';
import { ProposalTransitions } from './proposal-transitions';

/** A proposal; with the transition a job was due for (its data), which must be due by now. */
const AdvanceProposalCommand = ProposalTransitionJob.schema.partial({ transition: true, at: true });

/**
 * Use case (the system's: a transition job, the sweep, start-up): applies what is due now to one
 * proposal under its row lock, then schedules its next transition once committed. A job fired a
 * little early (clocks) for a transition still ahead fails, so that the queue retries it shortly.
 * Null for an unknown proposal.
 */
@Injectable()
export class AdvanceProposal implements UseCase<z.input<typeof AdvanceProposalCommand>, ProposalRecord | null> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transitions: ProposalTransitions,
    private readonly scheduler: ProposalScheduler,
    private readonly clock: GovernanceClock,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof AdvanceProposalCommand>): Promise<ProposalRecord | null> {
    assertSystem(ctx, 'AdvanceProposal');
    assertOwnTransaction(ctx, 'AdvanceProposal');
    const { proposalId, transition, at } = parseCommand(AdvanceProposalCommand, input);
    const p = await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const locked = await this.transitions.lock(tx, proposalId);
      return locked && this.transitions.advance(tx, locked, this.clock.now());
    });
    if (!p) return null;
    await this.scheduler.schedule(p);
    const next = nextTransition(p);
    if (transition && next && next.transition === transition && next.at.getTime() === at && next.at.getTime() > this.clock.now().getTime()) {
      throw new Error(`proposal ${proposalId}: ${transition} not due yet`);
    }
    return p;
  }
}
