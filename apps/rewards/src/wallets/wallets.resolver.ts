import { Args, Context, Int, Parent, ResolveField, Resolver, ResolveReference } from '@nestjs/graphql';
import { type AuthUser, BatchLoader, CurrentUser, hasRole, isUuid, pageSize, PerRequest, type RequestContext } from '@talent/platform';
import { userRef, UserRef } from './user.model';
import { LedgerEntryConnection, LedgerEntryKindEnum, RewardGrantModel, RewardGrantStatusEnum, TokenWalletModel } from './wallet.model';
import { type WalletBalances, WalletsService } from './wallets.service';

/** Rewards' part of `User`: the wallet, visible to its owner and to admins only. */
@Resolver(() => UserRef)
export class WalletsResolver {
  // Per request (so per caller): an admin listing users reads every wallet in one query.
  private readonly balances: PerRequest<BatchLoader<string, WalletBalances>>;

  constructor(private readonly wallets: WalletsService) {
    this.balances = new PerRequest(() => new BatchLoader((ids) => this.wallets.balancesOfUsers(ids)));
  }

  /** Lookup by key (`_entities`). A key only, nothing read: `wallet` is for the user and admins. */
  @ResolveReference()
  resolveReference(ref: { __typename: 'User'; id: string }): UserRef | null {
    return isUuid(ref.id) ? userRef(ref.id) : null;
  }

  @ResolveField(() => TokenWalletModel, { nullable: true, description: 'Visible to the user and to admins; null for anyone else.' })
  async wallet(@Parent() user: UserRef, @CurrentUser() caller: AuthUser | null, @Context() context: RequestContext): Promise<TokenWalletModel | null> {
    if (!caller || !isUuid(user.id)) return null;
    if (caller.id.toLowerCase() !== user.id.toLowerCase() && !hasRole(caller, 'ADMIN')) return null;
    const balances = await this.balances.for(context).load(user.id.toLowerCase());
    return Object.assign(new TokenWalletModel(), { userId: user.id, ...balances });
  }
}

@Resolver(() => TokenWalletModel)
export class TokenWalletResolver {
  constructor(private readonly wallets: WalletsService) {}

  @ResolveField(() => LedgerEntryConnection, { description: 'Newest first.' })
  async entries(
    @Parent() wallet: TokenWalletModel,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<LedgerEntryConnection> {
    const page = await this.wallets.entries(wallet.userId, pageSize(first, 20), after);
    const edges = page.edges.map((e) => ({ cursor: e.cursor, node: { ...e.node, kind: e.node.kind as LedgerEntryKindEnum } }));
    return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
  }

  @ResolveField(() => [RewardGrantModel], {
    description: 'Reward decisions on this wallet, newest first: what was paid, and what was refused with the reason (caps, earning window, membership...).',
  })
  async rewards(
    @Parent() wallet: TokenWalletModel,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first: number,
  ): Promise<RewardGrantModel[]> {
    const decisions = await this.wallets.rewards(wallet.userId, pageSize(first, 20));
    return decisions.map((d) => ({ ...d, status: d.status as RewardGrantStatusEnum }));
  }
}
