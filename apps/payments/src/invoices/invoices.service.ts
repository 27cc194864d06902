import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { InvoiceSubmitted } from '@talent/events';
import {
  APP_CONFIG,
  awaitProjection,
  type AuthUser,
  ConflictError,
  EventPublisher,
  ForbiddenError,
  formatMinor,
  hasRole,
  inTransaction,
  isUuid,
  loggableError,
  NotFoundError,
  PreconditionFailedError,
  ROOT_LOGGER,
} from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { ContractRecord } from '../contracts/contract.entity';
import { isUnderDispute } from '../disputes/dispute-events.handler';
import { ParametersService } from '../parameters/parameters.service';
import { PAYMENT_PROVIDER, type ChargeResult, type PaymentProvider } from '../provider/payment-provider';
import { IdempotencyKeys } from './idempotency-keys';
import { priceInvoice } from './invoice-pricing';
import { InvoiceRecord, PaymentAttemptRecord } from './invoice.entity';
import { PaymentOutcomes } from './payment-outcomes';
import { toInvoiceLines, type SubmitInvoiceRequest } from './submit-invoice.command';

/** Contracts a talent may invoice: ACTIVE ones, and COMPLETED ones (the final invoice after the work ended). */
const INVOICEABLE = new Set(['ACTIVE', 'COMPLETED']);
/** Invoices the client may (re)approve: a charge is made only from these. */
const CHARGEABLE = new Set(['SUBMITTED', 'FAILED']);

/** The provider's key for an attempt: namespaced by invoice, so one client key can never touch another invoice's charge. */
const providerKey = (invoiceId: string, idempotencyKey: string): string => `invoice:${invoiceId}:${idempotencyKey}`;

@Injectable()
export class InvoicesService {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly parameters: ParametersService,
    private readonly outcomes: PaymentOutcomes,
    private readonly idempotencyKeys: IdempotencyKeys,
    @Inject(PAYMENT_PROVIDER) private readonly provider: PaymentProvider,
    @Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'PROJECTION_WAIT_MS' | 'PAYMENT_PROVIDER_TIMEOUT_MS'>,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'invoices' });
  }

  /** The contract's talent invoices it, at the fee rate in force now; emits InvoiceSubmitted. */
  async submit(caller: AuthUser, request: SubmitInvoiceRequest, traceparent?: string): Promise<InvoiceRecord> {
    if (!isUuid(request.contractId)) throw new NotFoundError('Contract');
    // A contract started a moment ago in jobs may not have reached payments yet (ContractStarted):
    // wait for it a bounded time, outside the transaction; the check inside it decides.
    await awaitProjection(() => this.dataSource.getRepository(ContractRecord).existsBy({ id: request.contractId }), {
      timeoutMs: this.config.PROJECTION_WAIT_MS,
    });
    return inTransaction(this.dataSource, async (tx) => {
      // Shared lock: orders this submission against a dispute being opened on the contract (DisputeEventsHandler).
      const contract = await tx.getRepository(ContractRecord).findOne({ where: { id: request.contractId }, lock: { mode: 'pessimistic_read' } });
      if (!contract) throw new NotFoundError('Contract');
      if (contract.talentId !== caller.id) throw new ForbiddenError("Only the contract's talent may invoice it");
      if (!INVOICEABLE.has(contract.status))
        throw new PreconditionFailedError(`The contract is ${contract.status}: only ACTIVE or COMPLETED contracts can be invoiced`);
      if (await isUnderDispute(tx, contract.id)) throw new PreconditionFailedError('The contract is under dispute: invoice it again once the jury has decided');
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
        subtotal: formatMinor(amounts.subtotal, contract.currency),
        platformFee: formatMinor(amounts.platformFee, contract.currency),
        feeRate: feeRate.text,
        total: formatMinor(amounts.total, contract.currency),
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
   * The contract's client approves: the total is charged through the provider. No transaction
   * stays open during the provider call:
   *  1. (tx) bind the idempotency key to this request, record the attempt and the invoice APPROVED; commit;
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
  async approve(caller: AuthUser, invoiceId: string, idempotencyKey: string, traceparent?: string): Promise<InvoiceRecord> {
    IdempotencyKeys.validate(idempotencyKey);
    if (!isUuid(invoiceId)) throw new NotFoundError('Invoice');
    const step = await this.startAttempt(caller, invoiceId, idempotencyKey);
    if (step.kind === 'done') return step.invoice;
    return this.chargeAttempt(step.attempt, { resumed: step.resumed, traceparent });
  }

  /**
   * Steps 2 and 3 for an attempt still PENDING: used by `approve` and by the approval sweep.
   * An attempt recorded by this very request cannot have a charge yet, so it is charged at once;
   * a resumed one (a retry, the sweep) first asks for the charge its key already made, whose
   * status a charge call's idempotent replay might report stale. A provider that fails or does
   * not answer in time leaves the attempt PENDING (the invoice APPROVED): its webhook or the
   * next sweep settles it.
   */
  async chargeAttempt(attempt: PaymentAttemptRecord, { resumed, traceparent }: { resumed: boolean; traceparent?: string }): Promise<InvoiceRecord> {
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

  private startAttempt(
    caller: AuthUser,
    invoiceId: string,
    idempotencyKey: string,
  ): Promise<{ kind: 'done'; invoice: InvoiceRecord } | { kind: 'charge'; invoice: InvoiceRecord; attempt: PaymentAttemptRecord; resumed: boolean }> {
    return inTransaction(this.dataSource, async (tx) => {
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
        return known.status === 'PENDING' ? { kind: 'charge' as const, invoice, attempt: known, resumed: true } : { kind: 'done' as const, invoice };
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
      return { kind: 'charge' as const, invoice: { ...invoice, status: 'APPROVED' as const, approvedAt: now }, attempt, resumed: false };
    });
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
