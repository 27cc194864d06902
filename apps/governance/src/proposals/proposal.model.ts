import { Field, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar } from '@talent/platform';

export enum ProposalKindEnum {
  TEXT = 'TEXT',
  PARAMETER_CHANGE = 'PARAMETER_CHANGE',
  GRANT = 'GRANT',
}
registerEnumType(ProposalKindEnum, { name: 'ProposalKind' });

export enum ProposalStatusEnum {
  PENDING = 'PENDING',
  ACTIVE = 'ACTIVE',
  SUCCEEDED = 'SUCCEEDED',
  DEFEATED = 'DEFEATED',
  EXECUTED = 'EXECUTED',
  CANCELED = 'CANCELED',
  QUEUED = 'QUEUED',
  EXPIRED = 'EXPIRED',
}
registerEnumType(ProposalStatusEnum, {
  name: 'ProposalStatus',
  valuesMap: {
    PENDING: { description: 'Created; voting opens at startsAt (after the voting delay).' },
    ACTIVE: { description: 'Voting is open until endsAt.' },
    SUCCEEDED: {
      description: 'More FOR than AGAINST and quorum reached. Succeeded proposals are queued at once, so a proposal reads QUEUED rather than SUCCEEDED.',
    },
    DEFEATED: { description: 'Voting ended without more FOR than AGAINST, or without quorum.' },
    QUEUED: { description: 'Succeeded and waiting out the timelock: anyone may execute it from executableAt until expiresAt.' },
    EXPIRED: { description: 'Queued but not executed before expiresAt (the grace period).' },
    CANCELED: { description: 'Canceled by its proposer, or by an ADMIN guardian while queued.' },
  },
});

export enum VoteSupportEnum {
  FOR = 'FOR',
  AGAINST = 'AGAINST',
  ABSTAIN = 'ABSTAIN',
}
registerEnumType(VoteSupportEnum, { name: 'VoteSupport' });

@ObjectType('ParameterChange')
export class ParameterChangeModel {
  @Field()
  key: string;

  @Field()
  value: string;
}

@ObjectType('Proposal')
export class ProposalModel {
  @Field(() => ID)
  id: string;

  /** Resolved by ProposalsResolver (proposer, grantRecipient). */
  proposerId: string;

  grantRecipientId: string | null;

  @Field()
  title: string;

  @Field()
  description: string;

  @Field(() => ProposalKindEnum)
  kind: ProposalKindEnum;

  @Field(() => [ParameterChangeModel])
  parameterChanges: ParameterChangeModel[];

  @Field(() => DecimalScalar, { nullable: true, description: 'BTRST paid from the DAO treasury when a GRANT proposal is executed.' })
  grantAmount: string | null;

  @Field(() => ProposalStatusEnum)
  status: ProposalStatusEnum;

  @Field({ description: 'Voting power is read at this instant.' })
  snapshotAt: Date;

  @Field()
  startsAt: Date;

  @Field({ description: 'May move later once: a vote that first reaches quorum near the end extends the vote (late-quorum prevention).' })
  endsAt: Date;

  @Field(() => DecimalScalar)
  forVotes: string;

  @Field(() => DecimalScalar)
  againstVotes: string;

  @Field(() => DecimalScalar)
  abstainVotes: string;

  @Field(() => DecimalScalar, { description: "FOR + ABSTAIN needed: governance.quorumFraction x the members' total voting power at snapshotAt." })
  quorum: string;

  @Field(() => Date, { nullable: true, description: 'Queued proposals: executable from this instant (the timelock).' })
  executableAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'Queued proposals: not executable from this instant on (EXPIRED).' })
  expiresAt: Date | null;

  @Field(() => Date, { nullable: true })
  executedAt: Date | null;

  @Field(() => String, { nullable: true, description: "A canceled proposal: the proposer's or the guardian's reason." })
  cancelReason: string | null;

  @Field()
  createdAt: Date;
}

@ObjectType('Vote')
export class VoteModel {
  @Field(() => ID)
  id: string;

  /** Resolved by VotesResolver (proposal, voter). */
  proposalId: string;

  voterId: string;

  @Field(() => VoteSupportEnum)
  support: VoteSupportEnum;

  @Field(() => DecimalScalar, { description: "The voter's voting power at the proposal's snapshot." })
  weight: string;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field()
  createdAt: Date;
}

@InputType('ParameterChangeInput')
export class ParameterChangeInput {
  @Field()
  key: string;

  @Field()
  value: string;
}

@InputType('GrantInput')
export class GrantInput {
  @Field(() => ID, { description: 'A member (KYC approved).' })
  recipientId: string;

  @Field(() => DecimalScalar, { description: 'BTRST, positive, at most the DAO treasury.' })
  amount: string;
}

@InputType('CreateProposalInput')
export class CreateProposalInput {
  @Field()
  title: string;

  @Field()
  description: string;

  @Field(() => ProposalKindEnum)
  kind: ProposalKindEnum;

  @Field(() => [ParameterChangeInput], { nullable: true, description: 'PARAMETER_CHANGE only: 1 to 10 known keys, each once, values in range.' })
  parameterChanges?: ParameterChangeInput[] | null;

  @Field(() => GrantInput, { nullable: true, description: 'GRANT only.' })
  grant?: GrantInput | null;

  @Field(() => Int, { nullable: true, description: 'Defaults to the governance.votingPeriodSeconds parameter.' })
  votingPeriodSeconds?: number | null;
}
