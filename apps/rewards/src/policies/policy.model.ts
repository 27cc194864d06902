import { Field, Int, ObjectType } from '@nestjs/graphql';
import { canonicalTokens, DecimalScalar } from '@talent/platform';
import type { RewardPolicyRecord } from './policy.entity';

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

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Most BTRST one grant may pay; a larger one is refused (GRANT_CAP), never trimmed. Null: no cap.',
  })
  capPerGrant: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Most BTRST one beneficiary may earn under this policy per UTC day (DAILY_CAP). Null: no cap.' })
  capPerBeneficiaryDay: string | null;

  @Field(() => DecimalScalar, {
    nullable: true,
    description: 'Most BTRST one beneficiary may earn under this policy per UTC month (MONTHLY_CAP). Null: no cap.',
  })
  capPerBeneficiaryMonth: string | null;

  @Field(() => DecimalScalar, { nullable: true, description: 'Most BTRST one source (e.g. one referral) may earn in all (SOURCE_CAP). Null: no cap.' })
  capPerSource: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Days after a referral qualified during which its paid invoices earn (OUTSIDE_EARNING_WINDOW after). Null: no limit.',
  })
  earningWindowDays: number | null;

  @Field(() => String, { nullable: true, description: 'Paid invoices, in USD, a contract must reach before a rating reward pays. Null: none.' })
  minPaidUsd: string | null;

  @Field({ description: 'True when only the first grant for a reference pays, whoever earns it (screening: the first decision on a talent).' })
  oncePerReference: boolean;
}

const tokensOrNull = (value: string | null): string | null => (value === null ? null : canonicalTokens(value));

export const toRewardPolicyModel = (p: RewardPolicyRecord): RewardPolicyModel =>
  Object.assign(new RewardPolicyModel(), {
    key: p.key,
    description: p.description,
    amount: tokensOrNull(p.amount),
    rate: tokensOrNull(p.rate),
    capPerGrant: tokensOrNull(p.capPerGrant),
    capPerBeneficiaryDay: tokensOrNull(p.capPerBeneficiaryDay),
    capPerBeneficiaryMonth: tokensOrNull(p.capPerBeneficiaryMonth),
    capPerSource: tokensOrNull(p.capPerSource),
    earningWindowDays: p.earningWindowDays,
    minPaidUsd: p.minPaidUsd,
    oncePerReference: p.oncePerReference,
  });
