import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { InvoicePaid } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { ContractEarnings } from './contract-earnings';

const RecordPaidInvoiceCommand = InvoicePaid.schema.extend({ eventId: z.string() });

/** Use case (the system's, on payments' InvoicePaid): settles what the contract's facts now allow on its paid value (see ContractEarnings). */
@Injectable()
export class RecordPaidInvoice implements UseCase<z.input<typeof RecordPaidInvoiceCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly earnings: ContractEarnings,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordPaidInvoiceCommand>): Promise<void> {
    assertSystem(ctx, 'RecordPaidInvoice');
    const { eventId, ...payload } = parseCommand(RecordPaidInvoiceCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => this.earnings.recordPaidInvoice(tx, payload, { eventId, traceparent: ctx.traceparent }));
  }
}
