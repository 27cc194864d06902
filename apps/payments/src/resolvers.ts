import { FeeConversionsResolver } from './buyback/fee-conversions.resolver';
import { ContractsResolver } from './contracts/contracts.resolver';
import { InvoicesResolver } from './invoices/invoices.resolver';
import { NetworkStatsResolver } from './network-stats/network-stats.resolver';

/** Every resolver of the payments subgraph (also used to print its SDL for composition). */
export const PAYMENTS_RESOLVERS = [InvoicesResolver, ContractsResolver, FeeConversionsResolver, NetworkStatsResolver];
