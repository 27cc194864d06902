import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Governance's view of the DAO treasury balance (RecordTreasuryBalance keeps it from rewards'
 * TreasuryBalanceChanged). Before the first event the treasury is taken as empty (grants are refused).
 */
@Injectable()
export class TreasuryBalanceService {
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
