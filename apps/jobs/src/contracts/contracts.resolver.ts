import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Authenticated, CurrentUser, requireUser, UseCaseCtx, type AuthUser, type UseCaseContext } from '@talent/platform';
import { toJobModel } from '../jobs/job.mapper';
import { JobModel } from '../jobs/job.model';
import { JobsService } from '../jobs/jobs.service';
import { toRatingModel } from '../ratings/rating.mapper';
import { RatingModel } from '../ratings/rating.model';
import { RatingsService } from '../ratings/ratings.service';
import { UserRef, userRef } from '../users/user.model';
import { toContractModel } from './contract.mapper';
import { ContractModel } from './contract.model';
import { CompleteContract } from './complete-contract';
import { ContractsService } from './contracts.service';
import { HireApplicant } from './hire-applicant';

@Resolver(() => ContractModel)
export class ContractsResolver {
  constructor(
    private readonly contracts: ContractsService,
    private readonly jobs: JobsService,
    private readonly ratingService: RatingsService,
    private readonly hireApplicant: HireApplicant,
    private readonly completeContractUseCase: CompleteContract,
  ) {}

  @Mutation(() => ContractModel, { description: "The job's client hires an open application: the job is filled." })
  @Authenticated()
  async hire(@UseCaseCtx() ctx: UseCaseContext, @Args('applicationId', { type: () => ID }) applicationId: string): Promise<ContractModel> {
    return toContractModel(await this.hireApplicant.execute(ctx, { applicationId }));
  }

  @Mutation(() => ContractModel, { description: "The contract's client, while it is ACTIVE." })
  @Authenticated()
  async completeContract(@UseCaseCtx() ctx: UseCaseContext, @Args('contractId', { type: () => ID }) contractId: string): Promise<ContractModel> {
    return toContractModel(await this.completeContractUseCase.execute(ctx, { contractId }));
  }

  @Query(() => ContractModel, { nullable: true, description: 'Visible to its talent, its client and admins; null for an unknown id.' })
  @Authenticated()
  async contract(@CurrentUser() caller: AuthUser, @Args('id', { type: () => ID }) id: string): Promise<ContractModel | null> {
    const contract = await this.contracts.findVisible(caller, id);
    return contract ? toContractModel(contract) : null;
  }

  @Query(() => [ContractModel], { description: "The caller's contracts, as talent or client, newest first." })
  @Authenticated()
  async myContracts(@CurrentUser() caller: AuthUser): Promise<ContractModel[]> {
    return (await this.contracts.forUser(caller.id)).map(toContractModel);
  }

  /**
   * Private, like `contract(id)`: the same check for a lookup by key (`_entities`), which
   * another subgraph's reference (an invoice's contract) or a crafted request may ask for.
   */
  @ResolveReference()
  async resolveReference(@Parent() ref: { __typename: 'Contract'; id: string }, @CurrentUser() caller: AuthUser | null): Promise<ContractModel | null> {
    const contract = await this.contracts.findVisible(requireUser(caller), ref.id);
    return contract ? toContractModel(contract) : null;
  }

  @ResolveField(() => JobModel)
  async job(@Parent() contract: ContractModel): Promise<JobModel> {
    return toJobModel(await this.jobs.getById(contract.jobId));
  }

  @ResolveField(() => UserRef)
  talent(@Parent() contract: ContractModel): UserRef {
    return userRef(contract.talentId);
  }

  @ResolveField(() => UserRef)
  client(@Parent() contract: ContractModel): UserRef {
    return userRef(contract.clientId);
  }

  @ResolveField(() => [RatingModel])
  async ratings(@Parent() contract: ContractModel): Promise<RatingModel[]> {
    return (await this.ratingService.forContract(contract.id)).map(toRatingModel);
  }
}
