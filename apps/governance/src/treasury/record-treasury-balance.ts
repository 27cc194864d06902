import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { TreasuryBalanceChanged } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';

/**
 * Use case (the system's, on each rewards TreasuryBalanceChanged): keeps the latest treasury
 * balance by the ledger entry's time, so a redelivered or late, older event never overrides a
 * newer one.
 */
@Injectable()
export class RecordTreasuryBalance implements UseCase<z.input<typeof TreasuryBalanceChanged.schema>, void> {
  constructor(private readonly dataSource: DataSource) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof TreasuryBalanceChanged.schema>): Promise<void> {
    assertSystem(ctx, 'RecordTreasuryBalance');
    const p = parseCommand(TreasuryBalanceChanged.schema, input);
    await inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      tx.query(
        `INSERT INTO treasury_balance (id, balance, changed_at, entry_id) VALUES (1, $1, $2, $3)
         ON CONFLICT (id) DO UPDATE SET balance = EXCLUDED.balance, changed_at = EXCLUDED.changed_at, entry_id = EXCLUDED.entry_id, recorded_at = now()
          WHERE treasury_balance.changed_at < EXCLUDED.changed_at`,
        [p.balance, p.changedAt, p.entryId],
      ),
    );
  }
}
