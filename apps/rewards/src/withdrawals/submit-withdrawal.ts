import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { assertOwnTransaction, assertSystem, canonicalTokens, parseCommand, ROOT_LOGGER, type UseCase, type UseCaseContext } from '@talent/platform';
import { ChainAdapter, type TransferStatus } from './chain-adapter';
import { SettleWithdrawal, type SettleOutcome } from './settle-withdrawal';
import { ProcessWithdrawal } from './withdrawal.jobs';
import type { WithdrawalStatus } from './withdrawal.entity';
import { WithdrawalQueue } from './withdrawal-queue';

/** The job's data and how many of its attempts BullMQ has made before this one. */
const SubmitWithdrawalCommand = ProcessWithdrawal.schema.extend({ attemptsMade: z.number().int().min(0) });

/** RETRY: nothing is known to have gone out; the job must be attempted again (its processor throws, BullMQ retries). */
export type SubmitOutcome = SettleOutcome | 'RETRY';

/**
 * Use case (the system's, run by the `withdrawal.process` job): one attempt at sending a
 * requested withdrawal through the chain adapter. Every attempt first asks the chain by
 * reference, so a retry never sends twice. Sent: SENT with the hash (SettleWithdrawal). A failed
 * send is RETRY until the job's last attempt: the funds go back (FAILED) only when the chain says
 * the transfer did not happen; a send whose answer was lost may have gone out, so the withdrawal
 * stays REQUESTED, held, and a re-check is scheduled (RecheckWithdrawal) until the chain knows.
 * Its outside work (the chain, the queue) follows its commits: it refuses a caller's transaction.
 */
@Injectable()
export class SubmitWithdrawal implements UseCase<z.input<typeof SubmitWithdrawalCommand>, SubmitOutcome> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly chain: ChainAdapter,
    private readonly settle: SettleWithdrawal,
    private readonly queue: WithdrawalQueue,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'withdrawals' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof SubmitWithdrawalCommand>): Promise<SubmitOutcome> {
    assertSystem(ctx, 'SubmitWithdrawal');
    assertOwnTransaction(ctx, 'SubmitWithdrawal');
    const { withdrawalId, attemptsMade } = parseCommand(SubmitWithdrawalCommand, input);
    const outcome = await this.attempt(ctx, withdrawalId, attemptsMade + 1 >= (ProcessWithdrawal.attempts ?? 1));
    if (outcome === 'PENDING') await this.queue.scheduleCheck(withdrawalId, 1);
    return outcome;
  }

  private async attempt(ctx: UseCaseContext, withdrawalId: string, lastAttempt: boolean): Promise<SubmitOutcome> {
    const [withdrawal]: Array<{ amount: string; to_address: string; status: WithdrawalStatus }> = await this.dataSource.query(
      `SELECT amount::text AS amount, to_address, status FROM withdrawals WHERE id = $1`,
      [withdrawalId],
    );
    if (withdrawal?.status !== 'REQUESTED') return 'SKIPPED';
    let known: TransferStatus;
    try {
      known = await this.chain.statusOf(withdrawalId);
    } catch (error) {
      this.log.warn({ err: error, withdrawalId }, 'could not ask the chain about a withdrawal');
      return lastAttempt ? 'PENDING' : 'RETRY';
    }
    // An earlier attempt may have sent it: never send again what the chain already has.
    if (known.status !== 'NOT_FOUND') return this.settle.execute(ctx, { withdrawalId, transfer: known });
    try {
      const { txHash } = await this.chain.transfer({ withdrawalId, toAddress: withdrawal.to_address, amount: canonicalTokens(withdrawal.amount) });
      // Awaited here: a settlement that fails after the send is retried like the send (the chain then answers CONFIRMED).
      return await this.settle.execute(ctx, { withdrawalId, transfer: { status: 'SUBMITTED', txHash } });
    } catch (error) {
      if (!lastAttempt) {
        this.log.warn({ err: error, withdrawalId }, 'withdrawal transfer failed; will retry');
        return 'RETRY';
      }
      this.log.warn({ err: error, withdrawalId }, 'withdrawal transfer failed on its last attempt; asking the chain whether it went out');
      return this.settle.execute(ctx, { withdrawalId });
    }
  }
}
