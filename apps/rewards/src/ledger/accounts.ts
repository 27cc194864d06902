import { createHash } from 'node:crypto';

export type AccountKind = 'GENESIS' | 'ALLOCATION' | 'TREASURY' | 'WITHDRAWAL_PENDING' | 'EXTERNAL' | 'MARKET' | 'USER_AVAILABLE' | 'USER_LOCKED';

export interface SystemAccount {
  id: string;
  code: string;
  kind: AccountKind;
}

/**
 * The network's own accounts, created by the migration with fixed ids:
 * - `genesis`: the source of the cap (it may go negative, like `market` below); it funds the allocations once, at genesis;
 * - `allocation.*`: the four buckets of the cap; `allocation.community_incentives` is the pool rewards are paid from;
 * - `treasury`: the DAO treasury (slashed stakes, converted fees);
 * - `withdrawals.pending`: BTRST held for requested withdrawals until sent or failed;
 * - `external`: BTRST that left the ledger to an on-chain address;
 * - `market` (added by migration 1736000000000): BTRST bought back on the open market enter the
 *   ledger from here; its balance is minus everything bought back, so every entry still balances
 *   to zero and nothing is minted. Besides genesis, the only account that may go negative.
 */
export const SystemAccounts = {
  genesis: { id: '00000000-0000-4000-8000-000000000001', code: 'genesis', kind: 'GENESIS' },
  communityIncentives: { id: '00000000-0000-4000-8000-000000000010', code: 'allocation.community_incentives', kind: 'ALLOCATION' },
  earlyInvestors: { id: '00000000-0000-4000-8000-000000000011', code: 'allocation.early_investors', kind: 'ALLOCATION' },
  crowdsale: { id: '00000000-0000-4000-8000-000000000012', code: 'allocation.crowdsale', kind: 'ALLOCATION' },
  nodes: { id: '00000000-0000-4000-8000-000000000013', code: 'allocation.nodes', kind: 'ALLOCATION' },
  treasury: { id: '00000000-0000-4000-8000-000000000020', code: 'treasury', kind: 'TREASURY' },
  withdrawalsPending: { id: '00000000-0000-4000-8000-000000000030', code: 'withdrawals.pending', kind: 'WITHDRAWAL_PENDING' },
  external: { id: '00000000-0000-4000-8000-000000000040', code: 'external', kind: 'EXTERNAL' },
  market: { id: '00000000-0000-4000-8000-000000000050', code: 'market', kind: 'MARKET' },
} as const satisfies Record<string, SystemAccount>;

export const SYSTEM_ACCOUNTS: readonly SystemAccount[] = Object.values(SystemAccounts);

/** The system accounts whose balance may go below zero (the database's `may_go_negative`): money enters the ledger only through them. */
export const MAY_GO_NEGATIVE: ReadonlySet<string> = new Set([SystemAccounts.genesis.id, SystemAccounts.market.id]);

/** The community pool is the community-incentives allocation. */
export const COMMUNITY_POOL = SystemAccounts.communityIncentives;

/** Namespace of the name-based (v5) ids of user accounts. */
const USER_ACCOUNT_NAMESPACE = Buffer.from('6f1d8a52c3b94e0f9a7d2b4c5e6f7a81', 'hex');

/** RFC 4122 version-5 UUID of a name: the same name always gives the same id. */
function uuidV5(name: string): string {
  const hash = createHash('sha1').update(USER_ACCOUNT_NAMESPACE).update(name, 'utf8').digest();
  const bytes = Buffer.from(hash.subarray(0, 16));
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface WalletAccounts {
  userId: string;
  /** Spendable BTRST. */
  available: string;
  /** BTRST staked on applications. */
  locked: string;
}

/** Wallets derived lately: a consumed batch derives each of its wallets several times (two SHA-1 each). */
const recentWallets = new Map<string, WalletAccounts>();
const RECENT_WALLETS = 10_000;

/** The two accounts of a user's wallet; their ids derive from the user id, so no lookup is needed. */
export function walletAccounts(userId: string): WalletAccounts {
  const id = userId.toLowerCase();
  let wallet = recentWallets.get(id);
  if (!wallet) {
    wallet = Object.freeze({ userId: id, available: uuidV5(`user:${id}:available`), locked: uuidV5(`user:${id}:locked`) });
    if (recentWallets.size >= RECENT_WALLETS) recentWallets.delete(recentWallets.keys().next().value!);
    recentWallets.set(id, wallet);
  }
  return wallet;
}
