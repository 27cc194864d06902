import { Injectable } from '@nestjs/common';
import type { z } from 'zod';
import { assertOwnTransaction, assertSystem, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { SettleWithdrawal, type SettleOutcome } from './settle-withdrawal';
import { CheckWithdrawal } from './withdrawal.jobs';
import { WithdrawalQueue } from './withdrawal-queue';

const RecheckWithdrawalCommand = CheckWithdrawal.schema;

/**
 * Use case (the system's, run by the `withdrawal.check` job): asks the chain again about a
 * withdrawal whose transfer may have gone out, and settles it once the chain knows
 * (SettleWithdrawal); while it does not (PENDING, or the chain cannot be asked), the next check
 * is scheduled, later each time. It queues after its commit: it refuses a caller's transaction.
 */
@Injectable()
export class RecheckWithdrawal implements UseCase<z.input<typeof RecheckWithdrawalCommand>, SettleOutcome> {
  constructor(
    private readonly settle: SettleWithdrawal,
    private readonly queue: WithdrawalQueue,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecheckWithdrawalCommand>): Promise<SettleOutcome> {
    assertSystem(ctx, 'RecheckWithdrawal');
    assertOwnTransaction(ctx, 'RecheckWithdrawal');
    const { withdrawalId, check } = parseCommand(RecheckWithdrawalCommand, input);
    const outcome = await this.settle.execute(ctx, { withdrawalId });
    if (outcome === 'PENDING') await this.queue.scheduleCheck(withdrawalId, check + 1);
    return outcome;
  }
}
