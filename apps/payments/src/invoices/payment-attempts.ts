import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { APP_CONFIG, inTransaction, loggableError, ROOT_LOGGER } from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { PAYMENT_PROVIDER, type ChargeResult, type PaymentProvider } from '../provider/payment-provider';
import { InvoiceRecord, type PaymentAttemptRecord } from './invoice.entity';
import { PaymentOutcomes } from './payment-outcomes';

/** The provider's key for an attempt: namespaced by invoice, so one client key can never touch another invoice's charge. */
export const providerKey = (invoiceId: string, idempotencyKey: string): string => `invoice:${invoiceId}:${idempotencyKey}`;

/** Charges an approved invoice's attempt through the provider: used by ApproveInvoice and by the approval sweep. */
@Injectable()
export class PaymentAttempts {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outcomes: PaymentOutcomes,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'PAYMENT_PROVIDER_TIMEOUT_MS'>,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'invoices' });
  }

  /**
   * Steps 2 and 3 of an approval (see ApproveInvoice) for an attempt still PENDING, outside any
   * transaction. An attempt recorded by this very request cannot have a charge yet, so it is
   * charged at once; a resumed one (a retry, the sweep) first asks for the charge its key already
   * made, whose status a charge call's idempotent replay might report stale. A provider that
   * fails or does not answer in time leaves the attempt PENDING (the invoice APPROVED): its
   * webhook or the next sweep settles it.
   */
  async charge(attempt: PaymentAttemptRecord, { resumed, traceparent }: { resumed: boolean; traceparent?: string }): Promise<InvoiceRecord> {
    const key = providerKey(attempt.invoiceId, attempt.idempotencyKey);
    const signal = AbortSignal.timeout(this.config.PAYMENT_PROVIDER_TIMEOUT_MS);
    let result: ChargeResult;
    try {
      result =
        (resumed ? await this.provider.findCharge(key, { signal }) : null) ??
        (await this.provider.charge(
          { idempotencyKey: key, amount: { amount: attempt.amount, currency: attempt.currency }, reference: attempt.invoiceId },
          { signal },
        ));
    } catch (error) {
      this.log.warn(
        { err: loggableError(error), invoiceId: attempt.invoiceId, attemptId: attempt.id },
        'payment provider did not answer: the charge is settled by its webhook or the approval sweep',
      );
      return this.dataSource.getRepository(InvoiceRecord).findOneByOrFail({ id: attempt.invoiceId });
    }
    return inTransaction(this.dataSource, async (tx) => {
      if (result.status !== 'PENDING') return this.outcomes.record(tx, attempt.id, result, traceparent);
      await this.outcomes.notePending(tx, attempt.id, result.chargeId);
      return tx.getRepository(InvoiceRecord).findOneByOrFail({ id: attempt.invoiceId });
    });
  }
}
