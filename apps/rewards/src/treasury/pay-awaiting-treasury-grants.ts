import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { TreasuryGrantsService, type TreasuryGrantOutcome } from './treasury-grants.service';

const PayAwaitingTreasuryGrantsCommand = z.object({ userId: z.string() });

/** Use case (the system's, on identity's KycApproved): pays the treasury grants that waited for the recipient's membership. */
@Injectable()
export class PayAwaitingTreasuryGrants implements UseCase<z.input<typeof PayAwaitingTreasuryGrantsCommand>, TreasuryGrantOutcome[]> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly grants: TreasuryGrantsService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof PayAwaitingTreasuryGrantsCommand>): Promise<TreasuryGrantOutcome[]> {
    assertSystem(ctx, 'PayAwaitingTreasuryGrants');
    const { userId } = parseCommand(PayAwaitingTreasuryGrantsCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, (tx) => this.grants.settleAwaitingMembership(tx, userId, ctx.traceparent));
  }
}
