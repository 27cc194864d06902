import type { EntityManager } from 'typeorm';
import { PublicProposalDecided } from '@talent/events';
import { canonicalTokens, type EventPublisher } from '@talent/platform';
import type { ProposalRecord } from './proposal.entity';

export type ProposalOutcome = 'DEFEATED' | 'QUEUED' | 'EXECUTED' | 'CANCELED' | 'EXPIRED';

/** The proposal's tally as events carry it (canonical decimal strings). */
export function tallyOf(p: Pick<ProposalRecord, 'forVotes' | 'againstVotes' | 'abstainVotes' | 'quorum'>) {
  return {
    forVotes: canonicalTokens(p.forVotes),
    againstVotes: canonicalTokens(p.againstVotes),
    abstainVotes: canonicalTokens(p.abstainVotes),
    quorum: canonicalTokens(p.quorum),
  };
}

/** The partner projection of an outcome (public.governance.v1): what was decided and by how much power, never who. */
export async function publishDecided(tx: EntityManager, events: EventPublisher, p: ProposalRecord, outcome: ProposalOutcome, at: Date): Promise<void> {
  await events.publish(tx, PublicProposalDecided, {
    proposalId: p.id,
    kind: p.kind,
    title: p.title,
    outcome,
    parameterChanges: p.parameterChanges.map(({ key, value }) => ({ key, value })),
    grantAmount: p.grantAmount === null ? null : canonicalTokens(p.grantAmount),
    ...tallyOf(p),
    decidedAt: at.toISOString(),
  });
}
