import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import {
  callerOf,
  ConflictError,
  ForbiddenError,
  idempotencyKeySchema,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type AuthUser,
  type UseCase,
  type UseCaseContext,
  assertOwnTransaction,
} from '@talent/platform';
import { IdempotencyKeys } from './idempotency-keys';
import { InvoiceRecord, PaymentAttemptRecord } from './invoice.entity';
import { PaymentAttempts } from './payment-attempts';

/** Invoices the client may (re)approve: a charge is made only from these. */
const CHARGEABLE = new Set(['SUBMITTED', 'FAILED']);

const ApproveInvoiceCommand = z.object({ invoiceId: z.string(), idempotencyKey: idempotencyKeySchema });

type Started = { kind: 'done'; invoice: InvoiceRecord } | { kind: 'charge'; invoice: InvoiceRecord; attempt: PaymentAttemptRecord; resumed: boolean };

/**
 * Use case: the contract's client approves an invoice, and its total is charged through the
 * provider. No transaction stays open during the provider call:
 *  1. (tx, the caller's if any) bind the idempotency key to this request, record the attempt and
 *     the invoice APPROVED; commit;
 *  2. ask the provider for the charge made with the attempt's key, or charge (idempotent by key),
 *     within PAYMENT_PROVIDER_TIMEOUT_MS;
 *  3. (tx) record what it answered: a settled charge once (PAID + fee accrual + InvoicePaid, or
 *     FAILED + PaymentFailed), or the pending charge's id.
 * A pending charge is settled later by the provider's webhook; one whose answer never came
 * (timeout, crash between the steps) by the approval sweep, which asks the provider by key.
 * So the invoice answered here may still be APPROVED: the payment is in progress, and nothing
 * a retry does can charge twice. The same key returns the invoice as it is; a new key on a PAID
 * invoice returns it without charging; the same key with another invoice is a CONFLICT.
 */
@Injectable()
export class ApproveInvoice implements UseCase<z.input<typeof ApproveInvoiceCommand>, InvoiceRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotencyKeys: IdempotencyKeys,
    private readonly attempts: PaymentAttempts,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof ApproveInvoiceCommand>): Promise<InvoiceRecord> {
    assertOwnTransaction(ctx, 'ApproveInvoice');
    const caller = callerOf(ctx);
    const { invoiceId, idempotencyKey } = parseCommand(ApproveInvoiceCommand, input);
    if (!isUuid(invoiceId)) throw new NotFoundError('Invoice');
    const step = await this.startAttempt(ctx, caller, invoiceId, idempotencyKey);
    if (step.kind === 'done') return step.invoice;
    return this.attempts.charge(step.attempt, { resumed: step.resumed, traceparent: ctx.traceparent });
  }

  private startAttempt(ctx: UseCaseContext, caller: AuthUser, invoiceId: string, idempotencyKey: string): Promise<Started> {
    return inUseCaseTransaction(ctx, this.dataSource, async (tx): Promise<Started> => {
      // The invoice's row lock orders concurrent approvals of one invoice (retries with one key included).
      const invoice = await tx.getRepository(InvoiceRecord).findOne({ where: { id: invoiceId }, lock: { mode: 'pessimistic_write' } });
      if (!invoice) throw new NotFoundError('Invoice');
      if (invoice.clientId !== caller.id) throw new ForbiddenError("Only the contract's client may approve its invoices");
      await this.idempotencyKeys.bind(tx, {
        clientId: caller.id,
        key: idempotencyKey,
        operation: 'approveInvoice',
        fingerprint: `invoice:${invoice.id}`,
        invoiceId: invoice.id,
      });
      const attempts = tx.getRepository(PaymentAttemptRecord);
      const known = await attempts.findOneBy({ invoiceId: invoice.id, idempotencyKey });
      if (known) {
        // The same request again: its recorded result, or resume an attempt whose outcome is not known yet.
        return known.status === 'PENDING' ? { kind: 'charge', invoice, attempt: known, resumed: true } : { kind: 'done', invoice };
      }
      if (invoice.status === 'PAID') return { kind: 'done', invoice };
      if (invoice.status === 'APPROVED') throw new ConflictError('A payment of this invoice is in progress: retry with its idempotencyKey');
      if (!CHARGEABLE.has(invoice.status)) throw new PreconditionFailedError(`The invoice is ${invoice.status}: it cannot be approved`);
      const now = new Date();
      const attempt = attempts.create({
        id: randomUUID(),
        invoiceId: invoice.id,
        idempotencyKey,
        amount: invoice.total,
        currency: invoice.currency,
        status: 'PENDING',
        providerReference: null,
        failureReason: null,
        createdAt: now,
        completedAt: null,
      });
      await attempts.insert(attempt);
      await tx.getRepository(InvoiceRecord).update({ id: invoice.id }, { status: 'APPROVED', approvedAt: now });
      return { kind: 'charge', invoice: { ...invoice, status: 'APPROVED', approvedAt: now }, attempt, resumed: false };
    });
  }
}
