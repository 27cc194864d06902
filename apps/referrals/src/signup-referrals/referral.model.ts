import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '@talent/platform';
import { ReferralInvalidReasonEnum, ReferralKindEnum, ReferralStatusEnum } from '../shared/enums';
import { UserRef } from '../shared/user.reference';

/** A signup attributed to the connector whose referral code was used. */
@ObjectType('Referral')
export class ReferralModel {
  @Field(() => ID)
  id: string;

  @Field(() => UserRef)
  connector: UserRef;

  @Field(() => UserRef)
  referredUser: UserRef;

  @Field(() => ReferralKindEnum)
  kind: ReferralKindEnum;

  @Field(() => ReferralStatusEnum)
  status: ReferralStatusEnum;

  @Field(() => DecimalScalar, { nullable: true, description: 'BTRST paid to the connector; null until rewarded.' })
  rewardAmount: string | null;

  @Field(() => ReferralInvalidReasonEnum, { nullable: true, description: 'Why the referral was refused; null unless INVALID.' })
  invalidReason: ReferralInvalidReasonEnum | null;

  @Field()
  createdAt: Date;
}
