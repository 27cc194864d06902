import { PoliciesResolver } from './policies/policies.resolver';
import { SupplyResolver } from './supply/supply.resolver';
import { UserRef } from './wallets/user.model';
import { TokenWalletResolver, WalletsResolver } from './wallets/wallets.resolver';
import { WithdrawalsResolver } from './withdrawals/withdrawals.resolver';

/** Every resolver of the rewards subgraph (also used to print its SDL for composition). */
export const REWARDS_RESOLVERS = [WalletsResolver, TokenWalletResolver, SupplyResolver, PoliciesResolver, WithdrawalsResolver];

/** `User` is reached only through its federation key (the wallet field), never from a query of this subgraph. */
export const REWARDS_ORPHANED_TYPES = [UserRef];
