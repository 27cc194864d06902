import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { toProposalModel, toVoteModel } from '../proposals/proposal.mapper';
import { ProposalModel, VoteModel, VoteSupportEnum } from '../proposals/proposal.model';
import { ProposalsReader } from '../proposals/proposals.reader';
import { UserRef, userRef } from '../shared/user.model';
import { CastVote } from './cast-vote';

@Resolver(() => VoteModel)
export class VotesResolver {
  constructor(
    private readonly castVoteUseCase: CastVote,
    private readonly reader: ProposalsReader,
  ) {}

  @Mutation(() => VoteModel, {
    description:
      "Members with voting power at the proposal's snapshot, once per proposal (CONFLICT on a second vote), while it is ACTIVE (PRECONDITION_FAILED otherwise). Weight = voting power at snapshotAt.",
  })
  @Authenticated()
  async castVote(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('proposalId', { type: () => ID }) proposalId: string,
    @Args('support', { type: () => VoteSupportEnum }) support: VoteSupportEnum,
    @Args('reason', { type: () => String, nullable: true }) reason: string | null,
  ): Promise<VoteModel> {
    return toVoteModel(await this.castVoteUseCase.execute(ctx, { proposalId, support, reason }));
  }

  @ResolveField(() => ProposalModel)
  async proposal(@Parent() vote: VoteModel): Promise<ProposalModel> {
    const p = await this.reader.byId(vote.proposalId);
    if (!p) throw new Error(`vote ${vote.id}: proposal ${vote.proposalId} missing`);
    return toProposalModel(p);
  }

  @ResolveField(() => UserRef)
  voter(@Parent() vote: VoteModel): UserRef {
    return userRef(vote.voterId);
  }
}
