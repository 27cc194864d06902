import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { DecimalScalar, Money } from '@talent/platform';

export enum ApplicationStatusEnum {
  PENDING_STAKE = 'PENDING_STAKE',
  SUBMITTED = 'SUBMITTED',
  INTERVIEWING = 'INTERVIEWING',
  HIRED = 'HIRED',
  DECLINED = 'DECLINED',
  WITHDRAWN = 'WITHDRAWN',
  REJECTED = 'REJECTED',
}
registerEnumType(ApplicationStatusEnum, {
  name: 'ApplicationStatus',
  valuesMap: {
    PENDING_STAKE: { description: 'Waiting for the BTRST stake to be locked.' },
    REJECTED: { description: 'The stake could not be locked (e.g. insufficient balance).' },
  },
});

export enum InterviewOutcomeEnum {
  ATTENDED = 'ATTENDED',
  NO_SHOW = 'NO_SHOW',
}
registerEnumType(InterviewOutcomeEnum, { name: 'InterviewOutcome' });

@ObjectType('Application')
export class ApplicationModel {
  @Field(() => ID)
  id: string;

  /** Resolved by ApplicationsResolver (job, talent). */
  jobId: string;

  talentId: string;

  @Field()
  coverLetter: string;

  @Field(() => Money)
  proposedRate: Money;

  @Field(() => DecimalScalar, { nullable: true, description: 'BTRST staked for priority; null when none.' })
  stake: string | null;

  @Field(() => ApplicationStatusEnum)
  status: ApplicationStatusEnum;

  @Field()
  createdAt: Date;
}
