import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { InvoicePaid, InvoiceSubmitted, PaymentFailed } from '@talent/events';
import {
  APP_CONFIG,
  awaitProjection,
  type AuthUser,
  BadUserInputError,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  hasRole,
  inTransaction,
  isUniqueViolation,
  isUuid,
  NotFoundError,
  PreconditionFailedError,
} from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { ContractRecord } from '../contracts/contract.entity';
import { UsdRates } from '../fx/usd-rates';
import { formatCents, priceInvoice } from '../money/money';
import { ParametersService } from '../parameters/parameters.service';
import { PAYMENT_PROVIDER, type ChargeResult, type PaymentProvider } from '../provider/payment-provider';
import { InvoiceRecord, PaymentAttemptRecord } from './invoice.entity';
import { toInvoiceLines, type SubmitInvoiceRequest } from './submit-invoice.command';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;

/** Contracts a talent may invoice: ACTIVE ones, and COMPLETED ones (the final invoice after the work ended). */
const INVOICEABLE = new Set(['ACTIVE', 'COMPLETED']);
/** Invoices the client may (re)approve: a charge is made only from these. */
const CHARGEABLE = new Set(['SUBMITTED', 'FAILED']);

/** The provider's key for an attempt: namespaced by invoice, so one client key can never touch another invoice's charge. */
const providerKey = (invoiceId: string, idempotencyKey: string): string => `invoice:${invoiceId}:${idempotencyKey}`;

@Injectable()
export class InvoicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly parameters: ParametersService,
    private readonly usdRates: UsdRates,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'PROJECTION_WAIT_MS'>,
  ) {}

  /** The contract's talent invoices it, at the fee rate in force now; emits InvoiceSubmitted. */
  async submit(caller: AuthUser, request: SubmitInvoiceRequest, traceparent?: string): Promise<InvoiceRecord> {
    if (!isUuid(request.contractId)) throw new NotFoundError('Contract');
    // A contract started a moment ago in jobs may not have reached payments yet (ContractStarted):
    // wait for it a bounded time, outside the transaction; the check inside it decides.
    await awaitProjection(() => this.dataSource.getRepository(ContractRecord).existsBy({ id: request.contractId }), {
      timeoutMs: this.config.PROJECTION_WAIT_MS,
    });
    return inTransaction(this.dataSource, async (tx) => {
      const contract = await tx.getRepository(ContractRecord).findOneBy({ id: request.contractId });
      if (!contract) throw new NotFoundError('Contract');
      if (contract.talentId !== caller.id) throw new ForbiddenError("Only the contract's talent may invoice it");
      if (!INVOICEABLE.has(contract.status)) throw new PreconditionFailedError(`The contract is ${contract.status}: only ACTIVE or COMPLETED contracts can be invoiced`);
      const lines = toInvoiceLines(request, contract);
      const feeRate = await this.parameters.feeRate(tx);
      const amounts = priceInvoice(lines.subtotal, feeRate);
      const now = new Date();
      const invoice = tx.getRepository(InvoiceRecord).create({
        id: randomUUID(),
        contractId: contract.id,
        talentId: contract.talentId,
        clientId: contract.clientId,
        description: lines.description,
        hours: lines.hours,
        subtotal: formatCents(amounts.subtotal),
        platformFee: formatCents(amounts.platformFee),
        feeRate: feeRate.text,
        total: formatCents(amounts.total),
        currency: contract.currency,
        status: 'SUBMITTED',
        providerReference: null,
        failureReason: null,
        createdAt: now,
        approvedAt: null,
        paidAt: null,
        subtotalUsd: null,
        usdRate: null,
      });
      await tx.getRepository(InvoiceRecord).insert(invoice);
      const money = (amount: string) => ({ amount, currency: invoice.currency });
      await this.events.publish(
        tx,
        InvoiceSubmitted,
        {
          invoiceId: invoice.id,
          contractId: invoice.contractId,
          talentId: invoice.talentId,
          clientId: invoice.clientId,
          subtotal: money(invoice.subtotal),
          platformFee: money(invoice.platformFee),
          feeRate: invoice.feeRate,
          total: money(invoice.total),
          submittedAt: now.toISOString(),
        },
        { traceparent },
      );
      return invoice;
    });
  }

  /**
   * The contract's client approves: the total is charged through the provider. Three steps so
   * no transaction stays open during the provider call:
   *  1. (tx) record the attempt (idempotency key) and the invoice APPROVED; commit;
   *  2. ask the provider for the charge made with the key, or charge (idempotent by key);
   *  3. (tx) record the outcome once: PAID + fee accrual + InvoicePaid, or FAILED + PaymentFailed.
   * A retry with the same key after a crash between 2 and 3 finds the attempt PENDING and the
   * provider's existing charge, and records it: never a second charge. The same key returns the
   * invoice as it is once recorded; a new key on a PAID invoice returns it without charging;
   * a key used on another invoice is a CONFLICT.
   */
  async approve(caller: AuthUser, invoiceId: string, idempotencyKey: string, traceparent?: string): Promise<InvoiceRecord> {
    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadUserInputError('idempotencyKey must be 8 to 100 characters: letters, digits, "_" or "-"', 'idempotencyKey');
    }
    if (!isUuid(invoiceId)) throw new NotFoundError('Invoice');
    const step = await this.startAttempt(caller, invoiceId, idempotencyKey);
    if (step.kind === 'done') return step.invoice;
    const { invoice, attempt } = step;
    const key = providerKey(invoice.id, attempt.idempotencyKey);
    // Outside any transaction: a slow or failing provider holds no locks. If it throws, the
    // attempt stays PENDING (invoice APPROVED) and a retry with the same key resumes here.
    const result: ChargeResult =
      (await this.provider.findCharge(key)) ??
      (await this.provider.charge({ idempotencyKey: key, amount: { amount: attempt.amount, currency: attempt.currency }, reference: invoice.id }));
    return this.recordOutcome(attempt.id, result, traceparent);
  }

  private async startAttempt(
    caller: AuthUser,
    invoiceId: string,
    idempotencyKey: string,
  ): Promise<{ kind: 'done'; invoice: InvoiceRecord } | { kind: 'charge'; invoice: InvoiceRecord; attempt: PaymentAttemptRecord }> {
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        const invoice = await this.lockInvoice(tx, invoiceId);
        if (!invoice) throw new NotFoundError('Invoice');
        if (invoice.clientId !== caller.id) throw new ForbiddenError("Only the contract's client may approve its invoices");
        const attempts = tx.getRepository(PaymentAttemptRecord);
        const known = await attempts.findOneBy({ idempotencyKey });
        if (known && known.invoiceId !== invoice.id) throw new ConflictError('This idempotencyKey was used for another invoice');
        if (known) {
          // The same request again: its recorded result, or resume an attempt interrupted before its outcome was recorded.
          return known.status === 'PENDING' ? { kind: 'charge' as const, invoice, attempt: known } : { kind: 'done' as const, invoice };
        }
        if (invoice.status === 'PAID') return { kind: 'done' as const, invoice };
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
        return { kind: 'charge' as const, invoice: { ...invoice, status: 'APPROVED' as const, approvedAt: now }, attempt };
      });
    } catch (error) {
      // Two invoices approved at once with one key: the unique key index decides.
      if (isUniqueViolation(error, 'payment_attempts_key_unique')) throw new ConflictError('This idempotencyKey was used for another invoice');
      throw error;
    }
  }

  /** Records a charge's outcome exactly once (a concurrent retry of the same attempt finds it recorded). */
  private recordOutcome(attemptId: string, result: ChargeResult, traceparent?: string): Promise<InvoiceRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      const pending = await tx.getRepository(PaymentAttemptRecord).findOneByOrFail({ id: attemptId });
      const invoice = await this.lockInvoice(tx, pending.invoiceId);
      if (!invoice) throw new NotFoundError('Invoice');
      const attempt = await tx.getRepository(PaymentAttemptRecord).findOneByOrFail({ id: attemptId });
      if (attempt.status !== 'PENDING') return invoice;
      const now = new Date();
      if (result.status === 'SUCCEEDED') {
        // The USD value at payments' rate when it was paid: what rewards on paid value are computed on.
        const usd = await this.usdRates.usdValue(tx, invoice.subtotal, invoice.currency);
        await tx.getRepository(PaymentAttemptRecord).update({ id: attempt.id }, { status: 'SUCCEEDED', providerReference: result.chargeId, completedAt: now });
        await tx.getRepository(InvoiceRecord).update(
          { id: invoice.id },
          { status: 'PAID', paidAt: now, providerReference: result.chargeId, failureReason: null, subtotalUsd: usd?.amount ?? null, usdRate: usd?.rate ?? null },
        );
        await tx.query(
          `INSERT INTO fee_accruals (invoice_id, contract_id, amount, currency, fee_rate, accrued_at)
           VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (invoice_id) DO NOTHING`,
          [invoice.id, invoice.contractId, invoice.platformFee, invoice.currency, invoice.feeRate, now],
        );
        const paid: InvoiceRecord = {
          ...invoice,
          status: 'PAID',
          paidAt: now,
          providerReference: result.chargeId,
          failureReason: null,
          subtotalUsd: usd?.amount ?? null,
          usdRate: usd?.rate ?? null,
        };
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
            subtotalUsd: usd ? { amount: usd.amount, currency: 'USD' } : null,
            usdRate: usd?.rate ?? null,
            providerReference: result.chargeId,
            paidAt: now.toISOString(),
          },
          { traceparent },
        );
        return paid;
      }
      await tx.getRepository(PaymentAttemptRecord).update({ id: attempt.id }, { status: 'DECLINED', providerReference: result.chargeId, failureReason: result.reason, completedAt: now });
      await tx.getRepository(InvoiceRecord).update({ id: invoice.id }, { status: 'FAILED', failureReason: result.reason });
      await this.events.publish(
        tx,
        PaymentFailed,
        { invoiceId: invoice.id, contractId: invoice.contractId, clientId: invoice.clientId, reason: result.reason, failedAt: now.toISOString() },
        { traceparent },
      );
      return { ...invoice, status: 'FAILED', failureReason: result.reason };
    });
  }

  private lockInvoice(tx: EntityManager, id: string): Promise<InvoiceRecord | null> {
    return tx.getRepository(InvoiceRecord).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** An invoice for its contract's talent and client and admins; FORBIDDEN for others; null when unknown. */
  async findVisible(caller: AuthUser, id: string): Promise<InvoiceRecord | null> {
    if (!isUuid(id)) return null;
    const invoice = await this.dataSource.getRepository(InvoiceRecord).findOneBy({ id });
    if (invoice && caller.id !== invoice.talentId && caller.id !== invoice.clientId && !hasRole(caller, 'ADMIN')) {
      throw new ForbiddenError("Only the contract's talent and client (and admins) may see its invoices");
    }
    return invoice;
  }

  /**
   * Contract.invoices: oldest first, for the contract's talent and client and admins; none for
   * anyone else (anonymous callers included): an empty list rather than an error, so that a
   * list of contracts asking for invoices still reaches everyone.
   */
  async forContract(caller: AuthUser | null, contractId: string): Promise<InvoiceRecord[]> {
    if (!caller || !isUuid(contractId)) return [];
    const contract = await this.dataSource.getRepository(ContractRecord).findOneBy({ id: contractId });
    // Unknown here (not yet projected): it has no invoices, since submitting needs the projection.
    if (!contract) return [];
    if (caller.id !== contract.talentId && caller.id !== contract.clientId && !hasRole(caller, 'ADMIN')) return [];
    return this.dataSource.getRepository(InvoiceRecord).find({ where: { contractId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
