import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { InvoiceSubmitted } from '@talent/events';
import {
  APP_CONFIG,
  awaitProjection,
  callerOf,
  EventPublisher,
  ForbiddenError,
  formatMinor,
  inUseCaseTransaction,
  isUuid,
  NotFoundError,
  parseCommand,
  PreconditionFailedError,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import type { PaymentsConfig } from '../config';
import { ContractRecord } from '../contracts/contract.entity';
import { isUnderDispute } from '../disputes/contract-disputes';
import { ParametersService } from '../parameters/parameters.service';
import { priceInvoice } from './invoice-pricing';
import { InvoiceRecord } from './invoice.entity';
import { toInvoiceLines } from './submit-invoice.command';

/** Contracts a talent may invoice: ACTIVE ones, and COMPLETED ones (the final invoice after the work ended). */
const INVOICEABLE = new Set(['ACTIVE', 'COMPLETED']);

/** The shape of the request; its lines are checked against the contract's terms by toInvoiceLines. */
const SubmitInvoiceCommand = z.object({
  contractId: z.string(),
  description: z.string(),
  hours: z.number().nullish(),
  amount: z.object({ amount: z.string(), currency: z.string() }).nullish(),
});

/** Use case: the contract's talent invoices it, at the fee rate in force now; emits InvoiceSubmitted. */
@Injectable()
export class SubmitInvoice implements UseCase<z.input<typeof SubmitInvoiceCommand>, InvoiceRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly parameters: ParametersService,
    @Inject(APP_CONFIG) private readonly config: Pick<PaymentsConfig, 'PROJECTION_WAIT_MS'>,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof SubmitInvoiceCommand>): Promise<InvoiceRecord> {
    const caller = callerOf(ctx);
    const request = parseCommand(SubmitInvoiceCommand, input);
    if (!isUuid(request.contractId)) throw new NotFoundError('Contract');
    // A contract started a moment ago in jobs may not have reached payments yet (ContractStarted):
    // wait for it a bounded time, outside the transaction; the check inside it decides.
    await awaitProjection(() => this.dataSource.getRepository(ContractRecord).existsBy({ id: request.contractId }), {
      timeoutMs: this.config.PROJECTION_WAIT_MS,
    });
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      // Shared lock: orders this submission against a dispute being opened on the contract (HoldDisputedInvoices).
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
        { traceparent: ctx.traceparent },
      );
      return invoice;
    });
  }
}
