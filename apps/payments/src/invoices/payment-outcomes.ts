import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvoicePaid, PaymentFailed, PublicInvoicePaid } from '@talent/events';
import { EventPublisher, NotFoundError } from '@talent/platform';
import { UsdRates } from '../fx/usd-rates';
import type { SettledCharge } from '../provider/payment-provider';
import { InvoiceRecord, PaymentAttemptRecord } from './invoice.entity';

/**
 * Records the outcome of a charge, whoever learned it first: the charge call itself, the
 * provider's webhook, or the approval sweep asking the provider. Exactly once per attempt: the
 * invoice row is locked and an attempt that is no longer PENDING is left as it is, so a webhook
 * racing the sweep, or a replayed webhook, changes nothing.
 */
@Injectable()
export class PaymentOutcomes {
  constructor(
    private readonly events: EventPublisher,
    private readonly usdRates: UsdRates,
  ) {}

  async record(tx: EntityManager, attemptId: string, result: SettledCharge, traceparent?: string): Promise<InvoiceRecord> {
    const pending = await tx.getRepository(PaymentAttemptRecord).findOneByOrFail({ id: attemptId });
    const invoice = await tx.getRepository(InvoiceRecord).findOne({ where: { id: pending.invoiceId }, lock: { mode: 'pessimistic_write' } });
    if (!invoice) throw new NotFoundError('Invoice');
    const attempt = await tx.getRepository(PaymentAttemptRecord).findOneByOrFail({ id: attemptId });
    if (attempt.status !== 'PENDING') return invoice;
    const now = new Date();
    if (result.status === 'SUCCEEDED') return this.paid(tx, invoice, attempt, result.chargeId, now, traceparent);

    await tx
      .getRepository(PaymentAttemptRecord)
      .update({ id: attempt.id }, { status: 'DECLINED', providerReference: result.chargeId, failureReason: result.reason, completedAt: now });
    // Another attempt may have paid it meanwhile (a new key while this one was pending): a late decline does not undo that.
    if (invoice.status !== 'APPROVED') return invoice;
    await tx.getRepository(InvoiceRecord).update({ id: invoice.id }, { status: 'FAILED', failureReason: result.reason });
    await this.events.publish(
      tx,
      PaymentFailed,
      { invoiceId: invoice.id, contractId: invoice.contractId, clientId: invoice.clientId, reason: result.reason, failedAt: now.toISOString() },
      { traceparent },
    );
    return { ...invoice, status: 'FAILED', failureReason: result.reason };
  }

  /** Notes the provider's charge id of an attempt still waiting for its outcome. */
  async notePending(tx: EntityManager, attemptId: string, chargeId: string): Promise<void> {
    await tx.getRepository(PaymentAttemptRecord).update({ id: attemptId, status: 'PENDING' }, { providerReference: chargeId });
  }

  private async paid(
    tx: EntityManager,
    invoice: InvoiceRecord,
    attempt: PaymentAttemptRecord,
    chargeId: string,
    now: Date,
    traceparent?: string,
  ): Promise<InvoiceRecord> {
    await tx.getRepository(PaymentAttemptRecord).update({ id: attempt.id }, { status: 'SUCCEEDED', providerReference: chargeId, completedAt: now });
    // The USD values at payments' rate when it was paid: rewards on paid value use the subtotal's,
    // the network dashboard the total's and the fee's.
    const [subtotalUsd, totalUsd, feeUsd] = (await this.usdRates.usdValues(tx, [invoice.subtotal, invoice.total, invoice.platformFee], invoice.currency)) ?? [
      null,
      null,
      null,
    ];
    const paid: InvoiceRecord = {
      ...invoice,
      status: 'PAID',
      paidAt: now,
      providerReference: chargeId,
      failureReason: null,
      subtotalUsd: subtotalUsd?.amount ?? null,
      usdRate: subtotalUsd?.rate ?? null,
    };
    await tx
      .getRepository(InvoiceRecord)
      .update(
        { id: invoice.id },
        { status: 'PAID', paidAt: now, providerReference: chargeId, failureReason: null, subtotalUsd: paid.subtotalUsd, usdRate: paid.usdRate },
      );
    await tx.query(`UPDATE invoices SET total_usd = $2, platform_fee_usd = $3 WHERE id = $1`, [invoice.id, totalUsd?.amount ?? null, feeUsd?.amount ?? null]);
    await tx.query(
      `INSERT INTO fee_accruals (invoice_id, contract_id, amount, currency, fee_rate, accrued_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (invoice_id) DO NOTHING`,
      [invoice.id, invoice.contractId, invoice.platformFee, invoice.currency, invoice.feeRate, now],
    );
    const money = (amount: string) => ({ amount, currency: paid.currency });
    await this.events.publish(
      tx,
      InvoicePaid,
      {
        invoiceId: paid.id,
        contractId: paid.contractId,
        talentId: paid.talentId,
        clientId: paid.clientId,
        subtotal: money(paid.subtotal),
        platformFee: money(paid.platformFee),
        feeRate: paid.feeRate,
        total: money(paid.total),
        subtotalUsd: subtotalUsd ? { amount: subtotalUsd.amount, currency: 'USD' } : null,
        usdRate: subtotalUsd?.rate ?? null,
        providerReference: chargeId,
        paidAt: now.toISOString(),
      },
      { traceparent },
    );
    // Partners see the paid totals of a job, never who paid or was paid.
    const [contract] = await tx.query(`SELECT job_id FROM contracts WHERE id = $1`, [invoice.contractId]);
    await this.events.publish(
      tx,
      PublicInvoicePaid,
      {
        invoiceId: paid.id,
        jobId: contract?.job_id ?? null,
        contractId: paid.contractId,
        subtotal: money(paid.subtotal),
        platformFee: money(paid.platformFee),
        total: money(paid.total),
        totalUsd: totalUsd ? { amount: totalUsd.amount, currency: 'USD' } : null,
        paidAt: now.toISOString(),
      },
      { traceparent },
    );
    return paid;
  }
}
