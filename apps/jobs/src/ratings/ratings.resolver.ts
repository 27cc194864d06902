import { Args, ID, Int, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, NotFoundError, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { toContractModel } from '../contracts/contract.mapper';
import { ContractModel } from '../contracts/contract.model';
import { ContractsService } from '../contracts/contracts.service';
import { UserRef, userRef } from '../users/user.model';
import { toRatingModel } from './rating.mapper';
import { RateContract } from './rate-contract';
import { RatingModel } from './rating.model';

@Resolver(() => RatingModel)
export class RatingsResolver {
  constructor(
    private readonly rateContractUseCase: RateContract,
    private readonly contracts: ContractsService,
  ) {}

  @Mutation(() => RatingModel, { description: "The contract's talent or client, once each, after completion. 1 to 5 stars." })
  @Authenticated()
  async rateContract(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('contractId', { type: () => ID }) contractId: string,
    @Args('stars', { type: () => Int }) stars: number,
    @Args('comment', { type: () => String, nullable: true }) comment: string | null,
  ): Promise<RatingModel> {
    return toRatingModel(await this.rateContractUseCase.execute(ctx, { contractId, stars, comment }));
  }

  @ResolveField(() => ContractModel)
  async contract(@Parent() rating: RatingModel): Promise<ContractModel> {
    const contract = await this.contracts.findById(rating.contractId);
    if (!contract) throw new NotFoundError('Contract');
    return toContractModel(contract);
  }

  @ResolveField(() => UserRef)
  rater(@Parent() rating: RatingModel): UserRef {
    return userRef(rating.raterId);
  }

  @ResolveField(() => UserRef)
  ratee(@Parent() rating: RatingModel): UserRef {
    return userRef(rating.rateeId);
  }
}
