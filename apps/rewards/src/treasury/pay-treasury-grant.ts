import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { GrantApproved } from '@talent/events';
import { inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { TreasuryGrantsService, type TreasuryGrantOutcome } from './treasury-grants.service';

const PayTreasuryGrantCommand = GrantApproved.schema.extend({ eventId: z.string().optional() });

/** Use case (the system's, on governance's GrantApproved): pays the approved grant from the DAO treasury once (see TreasuryGrantsService). */
@Injectable()
export class PayTreasuryGrant implements UseCase<z.input<typeof PayTreasuryGrantCommand>, TreasuryGrantOutcome> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly grants: TreasuryGrantsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof PayTreasuryGrantCommand>): Promise<TreasuryGrantOutcome> {
    const command = parseCommand(PayTreasuryGrantCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, (tx) => this.grants.pay(tx, { ...command, traceparent: ctx.traceparent }));
  }
}
