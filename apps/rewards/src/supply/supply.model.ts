import { Field, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '@talent/platform';

@ObjectType('Allocation')
export class AllocationModel {
  @Field()
  bucket: string;

  @Field(() => DecimalScalar)
  amount: string;
}

@ObjectType('TokenSupply')
export class TokenSupplyModel {
  @Field(() => DecimalScalar, { description: 'Always 250000000.' })
  cap: string;

  @Field(() => [AllocationModel])
  allocations: AllocationModel[];

  @Field(() => DecimalScalar)
  communityPoolRemaining: string;

  @Field(() => DecimalScalar)
  treasuryBalance: string;

  @Field(() => DecimalScalar)
  distributedRewards: string;
}
