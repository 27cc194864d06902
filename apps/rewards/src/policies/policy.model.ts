import { Field, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '@talent/platform';

@ObjectType('RewardPolicy')
export class RewardPolicyModel {
  @Field({ description: 'e.g. talent.screened, rating.five_star, connector.referral' })
  key: string;

  @Field()
  description: string;

  @Field(() => DecimalScalar, { nullable: true, description: 'Fixed BTRST amount, or null when the policy is a rate.' })
  amount: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Rate applied to a value (e.g. BTRST per USD of contract value), or null.' })
  rate: string | null;
}
