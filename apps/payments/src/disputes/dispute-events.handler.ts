import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import type { EntityManager } from 'typeorm';
import { DisputeOpened, DisputeResolved, type EnvelopeOf } from '@talent/events';
import { OnEvent, ROOT_LOGGER } from '@talent/platform';

/**
 * Governance's disputes, applied to the contract's invoices (inside the inbox transaction; one
 * contract's events share a partition, so a dispute's opening arrives before its resolution).
 *
 * - DisputeOpened: the contract's unpaid invoices that nobody is paying (SUBMITTED, FAILED)
 *   become DISPUTED, and the dispute is remembered: no invoice may be submitted on the contract
 *   until it is resolved (InvoicesService.submit answers PRECONDITION_FAILED). An APPROVED
 *   invoice has a charge in flight with the provider (the client approved it before the
 *   dispute): it is left to finish; it becomes PAID or FAILED as usual.
 * - DisputeResolved FOR_TALENT: the DISPUTED invoices go back to SUBMITTED (the client may
 *   approve and pay them); FOR_CLIENT: they become VOIDED, never charged.
 *
 * The contract's row lock (also taken by submit) orders this against a concurrent submission;
 * the invoice's row lock (taken by approve) against a concurrent approval, which finds the
 * invoice DISPUTED and refuses it.
 */
@Injectable()
export class DisputeEventsHandler {
  private readonly log: Logger;

  constructor(@Inject(ROOT_LOGGER) logger: Logger) {
    this.log = logger.child({ component: 'disputes' });
  }

  @OnEvent(DisputeOpened)
  async onDisputeOpened(event: EnvelopeOf<typeof DisputeOpened>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await tx.query(`SELECT id FROM contracts WHERE id = $1 FOR UPDATE`, [p.contractId]);
    const recorded: unknown[] = await tx.query(
      `INSERT INTO contract_disputes (dispute_id, contract_id, status, opened_at) VALUES ($1, $2, 'OPEN', $3)
       ON CONFLICT (dispute_id) DO NOTHING RETURNING dispute_id`,
      [p.disputeId, p.contractId, p.openedAt],
    );
    if (recorded.length === 0) return;
    const held: Array<{ id: string }> = await tx.query(
      // A CTE, so that TypeORM returns the rows (a bare UPDATE ... RETURNING comes back as [rows, count]).
      `WITH held AS (UPDATE invoices SET status = 'DISPUTED' WHERE contract_id = $1 AND status IN ('SUBMITTED', 'FAILED') RETURNING id) SELECT id FROM held`,
      [p.contractId],
    );
    this.log.info({ disputeId: p.disputeId, contractId: p.contractId, invoices: held.length }, 'dispute opened: unpaid invoices held');
  }

  @OnEvent(DisputeResolved)
  async onDisputeResolved(event: EnvelopeOf<typeof DisputeResolved>, tx: EntityManager): Promise<void> {
    const p = event.payload;
    await tx.query(`SELECT id FROM contracts WHERE id = $1 FOR UPDATE`, [p.contractId]);
    const resolved: unknown[] = await tx.query(
      `INSERT INTO contract_disputes (dispute_id, contract_id, status, decision, opened_at, resolved_at) VALUES ($1, $2, 'RESOLVED', $3, $4, $4)
       ON CONFLICT (dispute_id) DO UPDATE SET status = 'RESOLVED', decision = EXCLUDED.decision, resolved_at = EXCLUDED.resolved_at
        WHERE contract_disputes.status = 'OPEN'
       RETURNING dispute_id`,
      [p.disputeId, p.contractId, p.decision, p.resolvedAt],
    );
    if (resolved.length === 0) return;
    const status = p.decision === 'FOR_TALENT' ? 'SUBMITTED' : 'VOIDED';
    const changed: Array<{ id: string }> = await tx.query(
      `WITH changed AS (UPDATE invoices SET status = $2 WHERE contract_id = $1 AND status = 'DISPUTED' RETURNING id) SELECT id FROM changed`,
      [p.contractId, status],
    );
    this.log.info(
      { disputeId: p.disputeId, contractId: p.contractId, decision: p.decision, invoices: changed.length, status },
      'dispute resolved: invoices updated',
    );
  }
}

/** Whether a dispute is open on the contract (read in the caller's transaction). */
export async function isUnderDispute(tx: EntityManager, contractId: string): Promise<boolean> {
  const rows: unknown[] = await tx.query(`SELECT 1 FROM contract_disputes WHERE contract_id = $1 AND status = 'OPEN'`, [contractId]);
  return rows.length > 0;
}
