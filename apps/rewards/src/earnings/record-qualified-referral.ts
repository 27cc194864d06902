import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ReferralQualified } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { ContractEarnings } from './contract-earnings';

const RecordQualifiedReferralCommand = ReferralQualified.schema.extend({ eventId: z.string() });

/** Use case (the system's, on referrals' ReferralQualified): pays nothing by itself; the connector earns on the contract's paid invoices (see ContractEarnings). */
@Injectable()
export class RecordQualifiedReferral implements UseCase<z.input<typeof RecordQualifiedReferralCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly earnings: ContractEarnings,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordQualifiedReferralCommand>): Promise<void> {
    assertSystem(ctx, 'RecordQualifiedReferral');
    const { eventId, ...payload } = parseCommand(RecordQualifiedReferralCommand, input);
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => this.earnings.recordReferral(tx, payload, { eventId, traceparent: ctx.traceparent }));
  }
}
