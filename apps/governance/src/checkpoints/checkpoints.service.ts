import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { BalanceChanged, PayloadOf } from '@talent/events';

/**
 * Balance checkpoints built from BalanceChanged. A duplicate (same ledger entry) is ignored;
 * an older event arriving late is stored too, and never hides a newer checkpoint, because
 * "balance at T" orders by changed_at, not by arrival.
 */
@Injectable()
export class CheckpointsService {
  constructor(private readonly dataSource: DataSource) {}

  /** True when the checkpoint was new. */
  async record(tx: EntityManager, p: PayloadOf<typeof BalanceChanged>): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO balance_checkpoints (user_id, balance, changed_at, entry_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (entry_id) DO NOTHING RETURNING id`,
      [p.userId.toLowerCase(), p.balance, p.changedAt, p.entryId],
    );
    return rows.length > 0;
  }

  /** The user's total balance at `at` (the latest checkpoint with changed_at <= at), "0" when none. */
  async balanceAt(userId: string, at: Date, tx: EntityManager = this.dataSource.manager): Promise<string> {
    const [row] = await tx.query(
      `SELECT trim_scale(COALESCE((
         SELECT balance FROM balance_checkpoints
          WHERE user_id = $1 AND changed_at <= $2
          ORDER BY changed_at DESC, id DESC LIMIT 1), 0))::text AS balance`,
      [userId.toLowerCase(), at],
    );
    return (row as { balance: string }).balance;
  }
}
