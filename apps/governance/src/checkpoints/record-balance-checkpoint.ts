import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { BalanceChanged } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

/**
 * Use case (the system's, on each rewards BalanceChanged): records a balance checkpoint. A
 * duplicate (same ledger entry) is ignored; an older event arriving late is stored too, and never
 * hides a newer checkpoint, because "balance at T" orders by changed_at, not by arrival.
 * True when the checkpoint was new.
 */
@Injectable()
export class RecordBalanceCheckpoint implements UseCase<z.input<typeof BalanceChanged.schema>, boolean> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof BalanceChanged.schema>): Promise<boolean> {
    assertSystem(ctx, 'RecordBalanceCheckpoint');
    const p = parseCommand(BalanceChanged.schema, input);
    const rows: unknown[] = await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(
        `INSERT INTO balance_checkpoints (user_id, balance, changed_at, entry_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT (entry_id) DO NOTHING RETURNING id`,
        [p.userId.toLowerCase(), p.balance, p.changedAt, p.entryId],
      ),
    );
    return rows.length > 0;
  }
}
