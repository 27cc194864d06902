import { Inject, Injectable, Optional } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { WithdrawalSent } from '@talent/events';
import { APP_CONFIG, EventPublisher, inTransaction, JobQueue, ProcessesJob, ROOT_LOGGER, type JobData } from '@talent/platform';
import type { RewardsConfig } from '../config';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { canonicalTokens, toUnits } from '@talent/platform';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { ChainAdapter, type TransferStatus } from './chain-adapter';
import { CheckWithdrawal, ProcessWithdrawal } from './withdrawal.jobs';
import type { WithdrawalStatus } from './withdrawal.entity';

interface WithdrawalRow {
  id: string;
  user_id: string;
  amount: string;
  to_address: string;
  status: WithdrawalStatus;
}

/** PENDING: the transfer may have gone out and its outcome is not known yet: the withdrawal stays REQUESTED and is re-checked. */
export type ProcessOutcome = 'SENT' | 'FAILED' | 'RETRY' | 'PENDING' | 'SKIPPED';

const MAX_RECHECK_MS = 3_600_000;

/**
 * The handler of `withdrawal.process` and `withdrawal.check`: sends the held amount through
 * the chain adapter. Sent: pending -> external, SENT with the transaction hash. A failed send
 * is retried by the queue. The funds go back to the member's available balance (FAILED) only
 * when the chain says the transfer did not happen (NOT_FOUND after the last attempt, or
 * FAILED): a send whose answer was lost may have gone out, so such a withdrawal stays
 * REQUESTED, held, and the chain is asked again later (CheckWithdrawal) until it knows.
 * Every attempt first asks the chain by reference, so a retry never sends twice.
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
    @Optional() @Inject(APP_CONFIG) private readonly config?: Pick<RewardsConfig, 'WITHDRAWAL_RECHECK_MS'>,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'withdrawal-processor' });
  }

  @ProcessesJob(ProcessWithdrawal)
  async handle(data: JobData<typeof ProcessWithdrawal>, meta: { attemptsMade: number }): Promise<void> {
    const outcome = await this.process(data.withdrawalId, meta.attemptsMade + 1 >= (ProcessWithdrawal.attempts ?? 1));
    if (outcome === 'RETRY') throw new Error(`withdrawal ${data.withdrawalId} not sent yet; retrying`);
    if (outcome === 'PENDING') await this.scheduleCheck(data.withdrawalId, 1);
  }

  @ProcessesJob(CheckWithdrawal)
  async handleCheck(data: JobData<typeof CheckWithdrawal>): Promise<void> {
    // A chain that cannot be asked now throws: the queue retries this check, then the next restart re-queues the withdrawal.
    if ((await this.recheck(data.withdrawalId)) === 'PENDING') await this.scheduleCheck(data.withdrawalId, data.check + 1);
  }

  /** One attempt; on `lastAttempt` a failed send ends as FAILED (funds returned) only if the chain says it did not happen. */
  async process(withdrawalId: string, lastAttempt: boolean): Promise<ProcessOutcome> {
    const withdrawal = await this.load(withdrawalId);
    if (withdrawal?.status !== 'REQUESTED') return 'SKIPPED';
    let known: TransferStatus;
    try {
      known = await this.chain.statusOf(withdrawalId);
    } catch (error) {
      this.log.warn({ err: error, withdrawalId }, 'could not ask the chain about a withdrawal');
      return lastAttempt ? 'PENDING' : 'RETRY';
    }
    // An earlier attempt may have sent it: never send again what the chain already has.
    if (known.status !== 'NOT_FOUND') return this.settleKnown(withdrawal, known);
    try {
      const { txHash } = await this.chain.transfer({ withdrawalId, toAddress: withdrawal.to_address, amount: canonicalTokens(withdrawal.amount) });
      return await this.settle(withdrawal, { status: 'SENT', txHash });
    } catch (error) {
      if (!lastAttempt) {
        this.log.warn({ err: error, withdrawalId }, 'withdrawal transfer failed; will retry');
        return 'RETRY';
      }
      this.log.warn({ err: error, withdrawalId }, 'withdrawal transfer failed on its last attempt; asking the chain whether it went out');
      return this.recheck(withdrawalId);
    }
  }

  /** Asks the chain about the withdrawal's transfer and settles it if the chain knows; PENDING otherwise. */
  async recheck(withdrawalId: string): Promise<ProcessOutcome> {
    const withdrawal = await this.load(withdrawalId);
    if (withdrawal?.status !== 'REQUESTED') return 'SKIPPED';
    let known: TransferStatus;
    try {
      known = await this.chain.statusOf(withdrawalId);
    } catch (error) {
      this.log.warn({ err: error, withdrawalId }, 'could not ask the chain about a withdrawal; will check again');
      return 'PENDING';
    }
    return this.settleKnown(withdrawal, known);
  }

  private settleKnown(withdrawal: WithdrawalRow, known: TransferStatus): Promise<ProcessOutcome> {
    switch (known.status) {
      case 'CONFIRMED':
        return this.settle(withdrawal, { status: 'SENT', txHash: known.txHash });
      case 'PENDING':
        this.log.warn({ withdrawalId: withdrawal.id }, 'withdrawal transfer outcome unknown; funds stay held until the chain knows');
        return Promise.resolve('PENDING');
      case 'NOT_FOUND':
      case 'FAILED':
        this.log.error({ withdrawalId: withdrawal.id, chain: known.status }, 'withdrawal transfer did not happen; returning the funds');
        return this.settle(withdrawal, { status: 'FAILED', reason: known.status === 'FAILED' ? 'transfer failed on chain' : 'transfer not sent' });
    }
  }

  private async scheduleCheck(withdrawalId: string, check: number): Promise<void> {
    if (!this.jobs) throw new Error('the job queue is not configured');
    const first = this.config?.WITHDRAWAL_RECHECK_MS ?? 60_000;
    const delay = Math.min(first * 2 ** Math.min(check - 1, 20), MAX_RECHECK_MS);
    // One job id per check: the job that schedules the next one is still active, so the same id would be a no-op.
    await this.jobs.add(CheckWithdrawal, { withdrawalId, check }, { jobId: `check-${withdrawalId}-${check}`, delay });
    this.log.info({ withdrawalId, check, delayMs: delay }, 'withdrawal re-check scheduled');
  }

  private async load(withdrawalId: string): Promise<WithdrawalRow | undefined> {
    const [withdrawal]: WithdrawalRow[] = await this.dataSource.query(
      `SELECT id, user_id, amount::text AS amount, to_address, status FROM withdrawals WHERE id = $1`,
      [withdrawalId],
    );
    return withdrawal;
  }

  private settle(withdrawal: WithdrawalRow, result: { status: 'SENT'; txHash: string } | { status: 'FAILED'; reason: string }): Promise<ProcessOutcome> {
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
      await tx.query(`UPDATE withdrawals SET status = $2, tx_hash = $3, failure_reason = $4, settle_transaction_id = $5, updated_at = now() WHERE id = $1`, [
        withdrawal.id,
        result.status,
        sent ? result.txHash : null,
        sent ? null : result.reason.slice(0, 500),
        posted.id,
      ]);
      await this.events.publish(tx, WithdrawalSent, {
        withdrawalId: withdrawal.id,
        userId: withdrawal.user_id,
        amount: canonicalTokens(withdrawal.amount),
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
