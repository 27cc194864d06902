import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { COMMUNITY_POOL, SystemAccounts } from '../ledger/accounts';
import { fromUnits, toUnits } from '@talent/platform';
import { Ledger } from '../ledger/ledger';
import { GENESIS_KEY } from '../genesis/genesis.service';

export interface TokenSupply {
  cap: string;
  allocations: Array<{ bucket: string; amount: string }>;
  communityPoolRemaining: string;
  treasuryBalance: string;
  distributedRewards: string;
}

/**
 * The token supply, read from the ledger (nothing here is stored separately):
 * the cap is what genesis minted, allocations are genesis' credits to each bucket, the pool
 * is the community-incentives account's balance, and the rewards distributed are everything
 * the pool paid out (only rewards debit it), so pool + distributed = its allocation.
 * Fee buybacks leave these truthful: the cap is read from the genesis entry, never from negative
 * balances, so the `market` account's negative balance (tokens that entered from the open market)
 * neither adds to the cap nor reads as burnt; the treasury balance includes what was bought back,
 * which the treasury does hold.
 */
@Injectable()
export class SupplyService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
  ) {}

  /** A read outside any transaction (the figures of a dashboard, not a decision). */
  async supply(): Promise<TokenSupply> {
    const tx = this.dataSource.manager;
    const genesis: Array<{ code: string; kind: string; amount: string }> = await tx.query(
      `SELECT a.code, a.kind, p.amount::text AS amount
         FROM ledger_transactions t
         JOIN ledger_postings p ON p.transaction_id = t.id
         JOIN ledger_accounts a ON a.id = p.account_id
        WHERE t.idempotency_key = $1
        ORDER BY p.seq`,
      [GENESIS_KEY],
    );
    const balances = await this.ledger.balancesOf(tx, [COMMUNITY_POOL.id, SystemAccounts.treasury.id]);
    const minted = genesis.find((g) => g.kind === 'GENESIS');
    const allocations = genesis.filter((g) => g.kind === 'ALLOCATION');
    const poolAllocation = toUnits(allocations.find((a) => a.code === COMMUNITY_POOL.code)?.amount ?? '0');
    const poolRemaining = balances.get(COMMUNITY_POOL.id) ?? 0n;
    return {
      cap: fromUnits(minted ? -toUnits(minted.amount) : 0n),
      allocations: allocations.map((a) => ({ bucket: a.code.replace(/^allocation\./, ''), amount: fromUnits(toUnits(a.amount)) })),
      communityPoolRemaining: fromUnits(poolRemaining),
      treasuryBalance: fromUnits(balances.get(SystemAccounts.treasury.id) ?? 0n),
      distributedRewards: fromUnits(poolAllocation - poolRemaining),
    };
  }
}
