import { Field, ID, ObjectType } from '@nestjs/graphql';
import { DecimalScalar } from '@talent/platform';
import { ReferralInvalidReasonEnum, ReferralStatusEnum } from '../shared/enums';
import { JobRef } from '../shared/job.reference';
import { UserRef } from '../shared/user.reference';

/** A member (the connector) referred a talent to a job. */
@ObjectType('JobReferral')
export class JobReferralModel {
  @Field(() => ID)
  id: string;

  @Field(() => JobRef)
  job: JobRef;

  @Field(() => UserRef)
  connector: UserRef;

  @Field(() => UserRef)
  talent: UserRef;

  @Field(() => String, { nullable: true })
  note: string | null;

  @Field(() => ReferralStatusEnum)
  status: ReferralStatusEnum;

  @Field(() => ReferralInvalidReasonEnum, { nullable: true, description: 'Why the referral was refused; null unless INVALID.' })
  invalidReason: ReferralInvalidReasonEnum | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'BTRST paid to the connector; null until rewarded.' })
  rewardAmount: string | null;

  @Field()
  createdAt: Date;
}
