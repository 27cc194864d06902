import { Field, ObjectType } from '@nestjs/graphql';

/** A governed network parameter in force. */
@ObjectType('GovernanceParameter')
export class GovernanceParameterModel {
  @Field({ description: 'e.g. platform.feeRate, rewards.connector.referral.rate, governance.quorumFraction' })
  key: string;

  @Field({ description: 'The canonical decimal or whole-number string (seconds for *Seconds keys, BTRST for amounts).' })
  value: string;

  @Field({ description: "When the value took effect: the executing proposal's time, or when the default was seeded." })
  updatedAt: Date;

  /** The proposal that set it (null for the default); `proposal` is resolved from it. Not a GraphQL field. */
  proposalId: string | null;
}
