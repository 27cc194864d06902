import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { DisputeResolved } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';

const SettleDisputedInvoicesCommand = DisputeResolved.schema;

/**
 * Use case (the system's, on DisputeResolved): FOR_TALENT, the contract's DISPUTED invoices go
 * back to SUBMITTED (the client may approve and pay them); FOR_CLIENT, they become VOIDED, never
 * charged. The dispute is closed, so the contract may be invoiced again. One contract's events
 * share a partition, so its opening arrived first; a redelivered event changes nothing.
 */
@Injectable()
export class SettleDisputedInvoices implements UseCase<z.input<typeof SettleDisputedInvoicesCommand>, void> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof SettleDisputedInvoicesCommand>): Promise<void> {
    assertSystem(ctx, 'SettleDisputedInvoices');
    const { disputeId, contractId, decision, resolvedAt } = parseCommand(SettleDisputedInvoicesCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await tx.query(`SELECT id FROM contracts WHERE id = $1 FOR UPDATE`, [contractId]);
      const resolved: unknown[] = await tx.query(
        `INSERT INTO contract_disputes (dispute_id, contract_id, status, decision, opened_at, resolved_at) VALUES ($1, $2, 'RESOLVED', $3, $4, $4)
         ON CONFLICT (dispute_id) DO UPDATE SET status = 'RESOLVED', decision = EXCLUDED.decision, resolved_at = EXCLUDED.resolved_at
          WHERE contract_disputes.status = 'OPEN'
         RETURNING dispute_id`,
        [disputeId, contractId, decision, resolvedAt],
      );
      if (resolved.length === 0) return;
      const status = decision === 'FOR_TALENT' ? 'SUBMITTED' : 'VOIDED';
      const changed: Array<{ id: string }> = await tx.query(
        `WITH changed AS (UPDATE invoices SET status = $2 WHERE contract_id = $1 AND status = 'DISPUTED' RETURNING id) SELECT id FROM changed`,
        [contractId, status],
      );
      this.log.info({ disputeId, contractId, decision, invoices: changed.length, status }, 'dispute resolved: invoices updated');
    });
  }
}
