import type { VoteRecord } from '../votes/vote.entity';
import { canonicalTokens } from '@talent/platform';
import type { ProposalRecord } from './proposal.entity';
import { type ProposalKindEnum, ProposalModel, type ProposalStatusEnum, VoteModel, type VoteSupportEnum } from './proposal.model';

export function toProposalModel(r: ProposalRecord): ProposalModel {
  return Object.assign(new ProposalModel(), {
    id: r.id,
    proposerId: r.proposerId,
    grantRecipientId: r.grantRecipientId,
    title: r.title,
    description: r.description,
    kind: r.kind as ProposalKindEnum,
    parameterChanges: r.parameterChanges.map(({ key, value }) => ({ key, value })),
    grantAmount: r.grantAmount === null ? null : canonicalTokens(r.grantAmount),
    status: r.status as ProposalStatusEnum,
    snapshotAt: r.snapshotAt,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    forVotes: canonicalTokens(r.forVotes),
    againstVotes: canonicalTokens(r.againstVotes),
    abstainVotes: canonicalTokens(r.abstainVotes),
    quorum: canonicalTokens(r.quorum),
    executableAt: r.executableAt,
    expiresAt: r.expiresAt,
    executedAt: r.executedAt,
    cancelReason: r.cancelReason,
    createdAt: r.createdAt,
  });
}

export function toVoteModel(r: VoteRecord): VoteModel {
  return Object.assign(new VoteModel(), {
    id: r.id,
    proposalId: r.proposalId,
    voterId: r.voterId,
    support: r.support as VoteSupportEnum,
    weight: canonicalTokens(r.weight),
    reason: r.reason,
    createdAt: r.createdAt,
  });
}
