import type { VoteRecord } from '../votes/vote.entity';
import { canonicalDecimal } from '../shared/decimal';
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
    grantAmount: r.grantAmount === null ? null : canonicalDecimal(r.grantAmount),
    status: r.status as ProposalStatusEnum,
    snapshotAt: r.snapshotAt,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    forVotes: canonicalDecimal(r.forVotes),
    againstVotes: canonicalDecimal(r.againstVotes),
    abstainVotes: canonicalDecimal(r.abstainVotes),
    quorum: canonicalDecimal(r.quorum),
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
    weight: canonicalDecimal(r.weight),
    reason: r.reason,
    createdAt: r.createdAt,
  });
}
