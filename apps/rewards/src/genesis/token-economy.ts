import { SystemAccounts, type SystemAccount } from '../ledger/accounts';

/**
 * The token's constitution, minted once at genesis and never again: 250,000,000 BTRST
 * into four allocation buckets. Governance changes policies, never the cap or this split.
 */
export const TOKEN_CAP = '250000000';

export interface AllocationBucket {
  /** Name shown in `tokenSupply.allocations`. */
  bucket: string;
  account: SystemAccount;
  /** Share of the cap in percent. */
  percent: number;
  amount: string;
}

export const ALLOCATIONS: readonly AllocationBucket[] = [
  { bucket: 'community_incentives', account: SystemAccounts.communityIncentives, percent: 54, amount: '135000000' },
  { bucket: 'early_investors', account: SystemAccounts.earlyInvestors, percent: 22, amount: '55000000' },
  { bucket: 'crowdsale', account: SystemAccounts.crowdsale, percent: 5, amount: '12500000' },
  { bucket: 'nodes', account: SystemAccounts.nodes, percent: 19, amount: '47500000' },
];

/** The community-incentives allocation: the pool rewards are paid from. */
export const COMMUNITY_POOL_ALLOCATION = ALLOCATIONS[0].amount;
