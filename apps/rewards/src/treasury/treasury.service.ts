import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { fromUnits, toUnits } from '@talent/platform';
import { SystemAccounts } from '../ledger/accounts';

export interface TreasuryCredit {
  /** The treasury's posting of the buyback entry. */
  entryId: string;
  amount: string;
  creditedAt: Date;
}

/** Ledger idempotency key of a conversion's buyback: one credit per conversion, whatever event carries it. */
export const buybackKey = (conversionId: string): string => `treasury.buyback:${conversionId.toLowerCase()}`;

/** The treasury's fee buyback credits, as read back (CreditFeeBuyback writes them). */
@Injectable()
export class TreasuryService {
  constructor(private readonly dataSource: DataSource) {}

  /** The treasury's credit for a conversion, if it was credited (for `FeeConversion.treasuryCredit`); a read outside any transaction. */
  async creditFor(conversionId: string): Promise<TreasuryCredit | null> {
    const rows: Array<{ id: string; amount: string; created_at: Date }> = await this.dataSource.query(
      `SELECT p.id, p.amount::text AS amount, t.created_at
         FROM ledger_transactions t
         JOIN ledger_postings p ON p.transaction_id = t.id AND p.account_id = $2
        WHERE t.idempotency_key = $1 AND t.kind = 'TREASURY_BUYBACK'`,
      [buybackKey(conversionId), SystemAccounts.treasury.id],
    );
    const row = rows[0];
    return row ? { entryId: row.id, amount: fromUnits(toUnits(row.amount)), creditedAt: row.created_at } : null;
  }
}
