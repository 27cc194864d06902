import { Query, Resolver } from '@nestjs/graphql';
import { canonicalTokens } from '@talent/platform';
import { PoliciesService } from './policies.service';
import { RewardPolicyModel } from './policy.model';

@Resolver(() => RewardPolicyModel)
export class PoliciesResolver {
  constructor(private readonly policies: PoliciesService) {}

  @Query(() => [RewardPolicyModel], { description: 'Active and inactive reward policies with their current amounts or rates.' })
  async rewardPolicies(): Promise<RewardPolicyModel[]> {
    return (await this.policies.list()).map((p) =>
      Object.assign(new RewardPolicyModel(), {
        key: p.key,
        description: p.description,
        amount: p.amount === null ? null : canonicalTokens(p.amount),
        rate: p.rate === null ? null : canonicalTokens(p.rate),
        capPerGrant: orNull(p.capPerGrant),
        capPerBeneficiaryDay: orNull(p.capPerBeneficiaryDay),
        capPerBeneficiaryMonth: orNull(p.capPerBeneficiaryMonth),
        capPerSource: orNull(p.capPerSource),
        earningWindowDays: p.earningWindowDays,
        minPaidUsd: p.minPaidUsd,
        oncePerReference: p.oncePerReference,
      }),
    );
  }
}

const orNull = (value: string | null): string | null => (value === null ? null : canonicalTokens(value));
