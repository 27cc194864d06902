import { PoliciesResolver } from './policies/policies.resolver';
import { SupplyResolver } from './supply/supply.resolver';
import { FeeConversionRef } from './treasury/treasury.model';
import { FeeConversionTreasuryResolver } from './treasury/treasury.resolver';
import { UserRef } from './wallets/user.model';
import { TokenWalletResolver, WalletsResolver } from './wallets/wallets.resolver';
import { WithdrawalsResolver } from './withdrawals/withdrawals.resolver';

/** Every resolver of the rewards subgraph (also used to print its SDL for composition). */
export const REWARDS_RESOLVERS = [WalletsResolver, TokenWalletResolver, SupplyResolver, PoliciesResolver, WithdrawalsResolver, FeeConversionTreasuryResolver];

/** `User` and `FeeConversion` are reached only through their federation keys, never from a query of this subgraph. */
export const REWARDS_ORPHANED_TYPES = [UserRef, FeeConversionRef];
