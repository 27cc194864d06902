import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { GrantApproved } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, TokenAmountSchema, type UseCase, type UseCaseContext } from '@talent/platform';
import { TreasuryGrantsService, type TreasuryGrantOutcome } from './treasury-grants.service';

/**
 * The amount as 1e-18 units. Not positive, over 18 decimals or beyond NUMERIC(36,18) breaks
 * governance's contract (a GRANT proposal's amount is a positive BTRST amount): refused for good
 * (dead-lettered with the reason), as no retry could apply it and guessing an amount would pay wrongly.
 */
const PayTreasuryGrantCommand = GrantApproved.schema.extend({ amount: TokenAmountSchema, eventId: z.string().optional() });

/** Use case (the system's, on governance's GrantApproved): pays the approved grant from the DAO treasury once (see TreasuryGrantsService). */
@Injectable()
export class PayTreasuryGrant implements UseCase<z.input<typeof PayTreasuryGrantCommand>, TreasuryGrantOutcome> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly grants: TreasuryGrantsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof PayTreasuryGrantCommand>): Promise<TreasuryGrantOutcome> {
    assertSystem(ctx, 'PayTreasuryGrant');
    const { amount: units, ...command } = parseCommand(PayTreasuryGrantCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, (tx) => this.grants.pay(tx, { ...command, units, traceparent: ctx.traceparent }));
  }
}
