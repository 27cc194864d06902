import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { WithdrawalSent } from '@talent/events';
import { EventPublisher, inTransaction, ProcessesJob, ROOT_LOGGER, type JobData } from '@talent/platform';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { normalize, toUnits } from '../ledger/decimal';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { ChainAdapter } from './chain-adapter';
import { ProcessWithdrawal } from './withdrawal.jobs';
import type { WithdrawalStatus } from './withdrawal.entity';

interface WithdrawalRow {
  id: string;
  user_id: string;
  amount: string;
  to_address: string;
  status: WithdrawalStatus;
}

export type ProcessOutcome = 'SENT' | 'FAILED' | 'RETRY' | 'SKIPPED';

/**
 * The one handler of `withdrawal.process`: sends the held amount through the chain adapter.
 * Sent: pending -> external, SENT with the transaction hash. A failure is retried by the
 * queue; after the last attempt the withdrawal is FAILED and the amount goes back to the
 * member's available balance. Either way WithdrawalSent tells the outcome.
 */
@Injectable()
export class WithdrawalProcessor {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly chain: ChainAdapter,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'withdrawal-processor' });
  }

  @ProcessesJob(ProcessWithdrawal)
  async handle(data: JobData<typeof ProcessWithdrawal>, meta: { attemptsMade: number }): Promise<void> {
    const outcome = await this.process(data.withdrawalId, meta.attemptsMade + 1 >= (ProcessWithdrawal.attempts ?? 1));
    if (outcome === 'RETRY') throw new Error(`withdrawal ${data.withdrawalId} not sent yet; retrying`);
  }

  /** One attempt; `lastAttempt` turns a failure into FAILED (funds returned) instead of a retry. */
  async process(withdrawalId: string, lastAttempt: boolean): Promise<ProcessOutcome> {
    const [withdrawal]: WithdrawalRow[] = await this.dataSource.query(
      `SELECT id, user_id, amount::text AS amount, to_address, status FROM withdrawals WHERE id = $1`,
      [withdrawalId],
    );
    if (withdrawal?.status !== 'REQUESTED') return 'SKIPPED';
    const amount = normalize(withdrawal.amount);
    try {
      const { txHash } = await this.chain.transfer({ withdrawalId, toAddress: withdrawal.to_address, amount });
      return await this.settle(withdrawal, { status: 'SENT', txHash });
    } catch (error) {
      if (!lastAttempt) {
        this.log.warn({ err: error, withdrawalId }, 'withdrawal transfer failed; will retry');
        return 'RETRY';
      }
      this.log.error({ err: error, withdrawalId }, 'withdrawal failed after its last attempt; returning the funds');
      return this.settle(withdrawal, { status: 'FAILED', reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private settle(
    withdrawal: WithdrawalRow,
    result: { status: 'SENT'; txHash: string } | { status: 'FAILED'; reason: string },
  ): Promise<ProcessOutcome> {
    return inTransaction(this.dataSource, async (tx) => {
      const [current]: Array<{ status: WithdrawalStatus }> = await tx.query(`SELECT status FROM withdrawals WHERE id = $1 FOR UPDATE`, [withdrawal.id]);
      if (current?.status !== 'REQUESTED') return 'SKIPPED';
      const units = toUnits(withdrawal.amount);
      const sent = result.status === 'SENT';
      const posted = await this.ledger.post(tx, {
        kind: 'WITHDRAWAL',
        reason: sent ? 'withdrawal.sent' : 'withdrawal.failed',
        reference: withdrawal.id,
        idempotencyKey: `withdrawal.settle:${withdrawal.id}`,
        postings: [
          { accountId: SystemAccounts.withdrawalsPending.id, amount: -units },
          { accountId: sent ? SystemAccounts.external.id : walletAccounts(withdrawal.user_id).available, amount: units },
        ],
      });
      await tx.query(
        `UPDATE withdrawals SET status = $2, tx_hash = $3, failure_reason = $4, settle_transaction_id = $5, updated_at = now() WHERE id = $1`,
        [withdrawal.id, result.status, sent ? result.txHash : null, sent ? null : result.reason.slice(0, 500), posted.id],
      );
      await this.events.publish(tx, WithdrawalSent, {
        withdrawalId: withdrawal.id,
        userId: withdrawal.user_id,
        amount: normalize(withdrawal.amount),
        status: result.status,
        txHash: sent ? result.txHash : null,
        sentAt: posted.createdAt.toISOString(),
      });
      await this.balances.publish(tx, posted);
      this.log.info({ withdrawalId: withdrawal.id, status: result.status }, 'withdrawal settled');
      return result.status;
    });
  }
}
