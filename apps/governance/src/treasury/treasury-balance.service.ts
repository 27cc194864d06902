import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PayloadOf, TreasuryBalanceChanged } from '@talent/events';

/**
 * Governance's view of the DAO treasury balance, from rewards' TreasuryBalanceChanged: the
 * latest by the ledger entry's time, so a redelivered or late, older event never overrides a
 * newer one. Before the first event the treasury is taken as empty (grants are refused).
 */
@Injectable()
export class TreasuryBalanceService {
  async record(tx: EntityManager, p: PayloadOf<typeof TreasuryBalanceChanged>): Promise<void> {
    await tx.query(
      `INSERT INTO treasury_balance (id, balance, changed_at, entry_id) VALUES (1, $1, $2, $3)
       ON CONFLICT (id) DO UPDATE SET balance = EXCLUDED.balance, changed_at = EXCLUDED.changed_at, entry_id = EXCLUDED.entry_id, recorded_at = now()
        WHERE treasury_balance.changed_at < EXCLUDED.changed_at`,
      [p.balance, p.changedAt, p.entryId],
    );
  }

  /** Whether the treasury (as last known) holds at least `amount`. */
  async covers(tx: EntityManager, amount: string): Promise<boolean> {
    const [row] = (await tx.query(`SELECT COALESCE((SELECT balance FROM treasury_balance WHERE id = 1), 0) >= $1::numeric AS covers`, [amount])) as Array<{
      covers: boolean;
    }>;
    return row.covers;
  }

  /** The last known balance, "0" before any event. */
  async balance(tx: EntityManager): Promise<string> {
    const [row] = (await tx.query(`SELECT trim_scale(COALESCE((SELECT balance FROM treasury_balance WHERE id = 1), 0))::text AS balance`)) as Array<{
      balance: string;
    }>;
    return row.balance;
  }
}
