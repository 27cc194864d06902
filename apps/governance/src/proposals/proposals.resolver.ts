import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, pageSize, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { UserRef, userRef } from '../shared/user.model';
import { CancelProposal } from './cancel-proposal';
import { CreateProposal } from './create-proposal';
import { ExecuteProposal } from './execute-proposal';
import { toProposalModel, toVoteModel } from './proposal.mapper';
import { CreateProposalInput, ProposalModel, ProposalStatusEnum, VoteModel } from './proposal.model';
import { ProposalsReader } from './proposals.reader';

/** Proposals: public reads; creating, executing and canceling need a signed-in caller (the use cases decide the rest). */
@Resolver(() => ProposalModel)
export class ProposalsResolver {
  constructor(
    private readonly reader: ProposalsReader,
    private readonly create: CreateProposal,
    private readonly executor: ExecuteProposal,
    private readonly canceler: CancelProposal,
  ) {}

  @Query(() => ProposalModel, { nullable: true, description: 'Public; null for an unknown id.' })
  async proposal(@Args('id', { type: () => ID }) id: string): Promise<ProposalModel | null> {
    const p = await this.reader.byId(id);
    return p ? toProposalModel(p) : null;
  }

  @Query(() => [ProposalModel], { description: 'Public. Newest first, optionally by status (1 to 100).' })
  async proposals(
    @Args('status', { type: () => ProposalStatusEnum, nullable: true }) status: ProposalStatusEnum | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
  ): Promise<ProposalModel[]> {
    return (await this.reader.list(status ?? null, pageSize(first, 20))).map(toProposalModel);
  }

  @Mutation(() => ProposalModel, {
    description:
      'Members whose voting power reaches governance.proposalThreshold (PRECONDITION_FAILED otherwise). PARAMETER_CHANGE: known keys, values in range (BAD_USER_INPUT). GRANT: a member recipient (BAD_USER_INPUT), at most the DAO treasury (INSUFFICIENT_FUNDS). Voting power is read at creation (snapshotAt).',
  })
  @Authenticated()
  async createProposal(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('input', { type: () => CreateProposalInput }) input: CreateProposalInput,
  ): Promise<ProposalModel> {
    return toProposalModel(await this.create.execute(ctx, input));
  }

  @Mutation(() => ProposalModel, {
    description:
      'Anyone signed in, once: a QUEUED proposal from executableAt until expiresAt (PRECONDITION_FAILED otherwise; CONFLICT when already executed). Applies parameter changes or approves the grant.',
  })
  @Authenticated()
  async executeProposal(@UseCaseCtx() ctx: UseCaseContext, @Args('proposalId', { type: () => ID }) proposalId: string): Promise<ProposalModel> {
    return toProposalModel(await this.executor.execute(ctx, { proposalId }));
  }

  @Mutation(() => ProposalModel, {
    description:
      'The proposer, before execution (PENDING, ACTIVE or QUEUED); or an ADMIN as guardian while QUEUED, with a reason. FORBIDDEN for anyone else; CONFLICT when already canceled.',
  })
  @Authenticated()
  async cancelProposal(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('reason', { type: () => String, nullable: true, description: 'Required from the guardian; recorded and published.' }) reason: string | null,
  ): Promise<ProposalModel> {
    return toProposalModel(await this.canceler.execute(ctx, { proposalId, reason }));
  }

  @ResolveField(() => UserRef)
  proposer(@Parent() proposal: ProposalModel): UserRef {
    return userRef(proposal.proposerId);
  }

  @ResolveField(() => UserRef, { nullable: true })
  grantRecipient(@Parent() proposal: ProposalModel): UserRef | null {
    return proposal.grantRecipientId ? userRef(proposal.grantRecipientId) : null;
  }

  @ResolveField(() => [VoteModel], { description: 'In the order they were cast (1 to 100).' })
  async votes(@Parent() proposal: ProposalModel, @Args('first', { type: () => Int, nullable: true, defaultValue: 50 }) first: number): Promise<VoteModel[]> {
    return (await this.reader.votes(proposal.id, pageSize(first, 50))).map(toVoteModel);
  }
}
