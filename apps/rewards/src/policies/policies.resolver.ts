import { Query, Resolver } from '@nestjs/graphql';
import { PoliciesService } from './policies.service';
import { RewardPolicyModel, toRewardPolicyModel } from './policy.model';

/** Public: no @Authenticated. */
@Resolver(() => RewardPolicyModel)
export class PoliciesResolver {
  constructor(private readonly policies: PoliciesService) {}

  @Query(() => [RewardPolicyModel], { description: 'Active and inactive reward policies with their current amounts or rates.' })
  async rewardPolicies(): Promise<RewardPolicyModel[]> {
    return (await this.policies.list()).map(toRewardPolicyModel);
  }
}
