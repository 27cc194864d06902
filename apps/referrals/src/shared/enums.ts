import { registerEnumType } from '@nestjs/graphql';

export enum ReferralKindEnum {
  TALENT = 'TALENT',
  CLIENT = 'CLIENT',
}
registerEnumType(ReferralKindEnum, { name: 'ReferralKind' });

export enum ReferralStatusEnum {
  SIGNED_UP = 'SIGNED_UP',
  QUALIFIED = 'QUALIFIED',
  REWARDED = 'REWARDED',
  INVALID = 'INVALID',
}
registerEnumType(ReferralStatusEnum, {
  name: 'ReferralStatus',
  valuesMap: {
    QUALIFIED: { description: 'The referred user was hired, or (a client) hired someone.' },
    INVALID: { description: 'Refused, e.g. self-referral or a referral ring.' },
  },
});

export enum ReferralInvalidReasonEnum {
  SELF_REFERRAL = 'SELF_REFERRAL',
  REFERRAL_RING = 'REFERRAL_RING',
  ALREADY_REWARDED = 'ALREADY_REWARDED',
  DAILY_CAP = 'DAILY_CAP',
  NOT_A_MEMBER = 'NOT_A_MEMBER',
  REFERRED_AFTER_APPLICATION = 'REFERRED_AFTER_APPLICATION',
}
registerEnumType(ReferralInvalidReasonEnum, {
  name: 'ReferralInvalidReason',
  description: 'The fraud rule that refused a referral.',
  valuesMap: {
    SELF_REFERRAL: { description: 'The connector and the referred user are the same person.' },
    REFERRAL_RING: { description: 'The referred user already referred the connector, directly or through a chain.' },
    ALREADY_REWARDED: { description: 'Another referral of the same user and kind qualified first.' },
    DAILY_CAP: { description: "The connector reached the day's qualification cap." },
    NOT_A_MEMBER: { description: 'The connector was not a member when the referral qualified.' },
    REFERRED_AFTER_APPLICATION: { description: 'The job referral was made after the talent had applied to the job: a job referral must come first.' },
  },
});
