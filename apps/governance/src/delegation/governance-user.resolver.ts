import { Args, Context, ID, Mutation, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { Authenticated, BatchLoader, DecimalScalar, isUuid, PerRequest, UseCaseCtx, type RequestContext, type UseCaseContext } from '@talent/platform';
import { UserRef, userRef } from '../shared/user.model';
import { DelegateVotes } from './delegate-votes';
import { DelegationService } from './delegation.service';
import { CURRENT } from './instant';
import { VotingPowerService } from './voting-power.service';

/** Governance's part of `User`: voting power and delegate (public), and `delegateVotes`. */
@Resolver(() => UserRef)
export class GovernanceUserResolver {
  // Per request: a list of users (jurors, voters, delegates) costs one query per field, not one per user.
  private readonly powers: PerRequest<BatchLoader<string, string>>;
  private readonly delegates: PerRequest<BatchLoader<string, string | null>>;

  constructor(
    private readonly delegation: DelegationService,
    private readonly power: VotingPowerService,
    private readonly delegateVotesUseCase: DelegateVotes,
  ) {
    this.powers = new PerRequest(() => new BatchLoader((ids) => this.power.currentOf(ids)));
    this.delegates = new PerRequest(() => new BatchLoader((ids) => this.delegation.delegatesAt(ids, CURRENT)));
  }

  /** Lookup by key (`_entities`). Public: a key only, nothing read; `votingPower` and `delegate` are public (the same for every caller). */
  @ResolveReference()
  resolveReference(ref: { __typename: 'User'; id: string }): UserRef | null {
    return isUuid(ref.id) ? userRef(ref.id) : null;
  }

  @ResolveField(() => DecimalScalar, {
    description:
      'Own BTRST balance unless delegated away, plus the balances of the users who delegated to this user (one level, not transitive). "0" when none.',
  })
  async votingPower(@Parent() user: UserRef, @Context() context: RequestContext): Promise<string> {
    return isUuid(user.id) ? this.powers.for(context).load(user.id.toLowerCase()) : '0';
  }

  @ResolveField(() => UserRef, { nullable: true, description: 'Whom this user delegated their votes to; null when none (votes with own power).' })
  async delegate(@Parent() user: UserRef, @Context() context: RequestContext): Promise<UserRef | null> {
    if (!isUuid(user.id)) return null;
    const id = await this.delegates.for(context).load(user.id.toLowerCase());
    return id ? userRef(id) : null;
  }

  @Mutation(() => UserRef, {
    description:
      'Members only. Delegates all of your voting power to another member; delegating to yourself clears the delegation. One level: power you received is not passed on. Returns you.',
  })
  @Authenticated()
  async delegateVotes(@UseCaseCtx() ctx: UseCaseContext, @Args('toUserId', { type: () => ID }) toUserId: string): Promise<UserRef> {
    return userRef(await this.delegateVotesUseCase.execute(ctx, { toUserId }));
  }
}
