import { Query, Resolver } from '@nestjs/graphql';
import { normalize } from '../ledger/decimal';
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
        amount: p.amount === null ? null : normalize(p.amount),
        rate: p.rate === null ? null : normalize(p.rate),
      }),
    );
  }
}
