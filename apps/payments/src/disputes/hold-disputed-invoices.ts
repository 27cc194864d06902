import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { DisputeOpened } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';

const HoldDisputedInvoicesCommand = DisputeOpened.schema;

/**
 * Use case (the system's, on DisputeOpened): the contract's unpaid invoices that nobody is paying
 * (SUBMITTED, FAILED) become DISPUTED, and the dispute is remembered: no invoice may be submitted
 * on the contract until it is resolved (SubmitInvoice answers PRECONDITION_FAILED). An APPROVED
 * invoice has a charge in flight with the provider (the client approved it before the dispute):
 * it is left to finish; it becomes PAID or FAILED as usual.
 *
 * The contract's row lock (also taken by SubmitInvoice) orders this against a concurrent
 * submission; the invoice's row lock (taken by ApproveInvoice) against a concurrent approval,
 * which finds the invoice DISPUTED and refuses it. A redelivered event changes nothing.
 */
@Injectable()
export class HoldDisputedInvoices implements UseCase<z.input<typeof HoldDisputedInvoicesCommand>, void> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'disputes' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof HoldDisputedInvoicesCommand>): Promise<void> {
    assertSystem(ctx, 'HoldDisputedInvoices');
    const { disputeId, contractId, openedAt } = parseCommand(HoldDisputedInvoicesCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await tx.query(`SELECT id FROM contracts WHERE id = $1 FOR UPDATE`, [contractId]);
      const recorded: unknown[] = await tx.query(
        `INSERT INTO contract_disputes (dispute_id, contract_id, status, opened_at) VALUES ($1, $2, 'OPEN', $3)
         ON CONFLICT (dispute_id) DO NOTHING RETURNING dispute_id`,
        [disputeId, contractId, openedAt],
      );
      if (recorded.length === 0) return;
      const held: Array<{ id: string }> = await tx.query(
        // A CTE, so that TypeORM returns the rows (a bare UPDATE ... RETURNING comes back as [rows, count]).
        `WITH held AS (UPDATE invoices SET status = 'DISPUTED' WHERE contract_id = $1 AND status IN ('SUBMITTED', 'FAILED') RETURNING id) SELECT id FROM held`,
        [contractId],
      );
      this.log.info({ disputeId, contractId, invoices: held.length }, 'dispute opened: unpaid invoices held');
    });
  }
}
