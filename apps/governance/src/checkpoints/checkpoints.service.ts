import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Reads the balance checkpoints (RecordBalanceCheckpoint writes them). */
@Injectable()
export class CheckpointsService {
  /** The user's total balance at `at` (the latest checkpoint with changed_at <= at), "0" when none. */
  async balanceAt(tx: EntityManager, userId: string, at: Date): Promise<string> {
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
