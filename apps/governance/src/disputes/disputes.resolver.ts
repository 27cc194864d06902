import { Args, ID, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Authenticated, UseCaseCtx, type UseCaseContext } from '@talent/platform';
import { ContractRef, contractRef } from '../contracts/contract.model';
import { UserRef, userRef } from '../shared/user.model';
import { CastJuryVote } from './cast-jury-vote';
import { DisputeDecisionEnum, DisputeModel } from './dispute.model';
import { DisputesReader } from './disputes.reader';
import { OpenDispute } from './open-dispute';

/** Disputes (thin: the rules live in OpenDispute, CastJuryVote and ApplyJuryDeadline). */
@Resolver(() => DisputeModel)
export class DisputesResolver {
  constructor(
    private readonly reader: DisputesReader,
    private readonly open: OpenDispute,
    private readonly vote: CastJuryVote,
  ) {}

  @Query(() => DisputeModel, { nullable: true, description: 'Visible to its parties, its jurors and admins (FORBIDDEN otherwise); null for an unknown id.' })
  @Authenticated()
  async dispute(@UseCaseCtx() ctx: UseCaseContext, @Args('id', { type: () => ID }) id: string): Promise<DisputeModel | null> {
    return this.reader.findVisible(ctx, id);
  }

  @Mutation(() => DisputeModel, {
    description:
      "The contract's talent or client disputes it (reason: 10 to 2000 characters, seen only by the parties, the jurors and admins). Its unpaid invoices are held (DISPUTED) and a jury is drawn at once.",
  })
  @Authenticated()
  async openDispute(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('contractId', { type: () => ID }) contractId: string,
    @Args('reason') reason: string,
  ): Promise<DisputeModel> {
    return this.reader.toModel(await this.open.execute(ctx, { contractId, reason }));
  }

  @Mutation(() => DisputeModel, { description: "A juror's vote, once, within the jury's voting period. A majority of the jury decides." })
  @Authenticated()
  async castJuryVote(
    @UseCaseCtx() ctx: UseCaseContext,
    @Args('disputeId', { type: () => ID }) disputeId: string,
    @Args('decision', { type: () => DisputeDecisionEnum }) decision: DisputeDecisionEnum,
  ): Promise<DisputeModel> {
    return this.reader.toModel(await this.vote.execute(ctx, { disputeId, decision }));
  }

  @ResolveField(() => ContractRef)
  contract(@Parent() dispute: DisputeModel): ContractRef {
    return contractRef(dispute.contractId);
  }

  @ResolveField(() => UserRef)
  openedBy(@Parent() dispute: DisputeModel): UserRef {
    return userRef(dispute.openedById);
  }

  @ResolveField(() => [UserRef], { description: 'The jurors seated now, by seat (a juror replaced for not voting in time is no longer listed).' })
  jurors(@Parent() dispute: DisputeModel): UserRef[] {
    return dispute.jurorIds.map(userRef);
  }
}
