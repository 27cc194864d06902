import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { WithdrawalSent } from '@talent/events';
import {
  assertOwnTransaction,
  assertSystem,
  canonicalTokens,
  EventPublisher,
  inUseCaseTransaction,
  parseCommand,
  ROOT_LOGGER,
  toUnits,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { ChainAdapter } from './chain-adapter';
import type { WithdrawalStatus } from './withdrawal.entity';

/** What the chain knows of a withdrawal's transfer: its answer by reference (TransferStatus), or SUBMITTED when `transfer` answered with the hash. */
const TransferAnswerSchema = z.discriminatedUnion('status', [
  z.object({ status: z.enum(['SUBMITTED', 'CONFIRMED']), txHash: z.string().min(1) }),
  z.object({ status: z.enum(['PENDING', 'NOT_FOUND', 'FAILED']) }),
]);

const SettleWithdrawalCommand = z.object({
  withdrawalId: z.uuid(),
  /** Absent: the chain is asked by reference. */
  transfer: TransferAnswerSchema.optional(),
});

/** PENDING: the transfer may have gone out and its outcome is not known yet: the withdrawal stays REQUESTED, held. */
export type SettleOutcome = 'SENT' | 'FAILED' | 'PENDING' | 'SKIPPED';

/**
 * Use case (the system's, from the withdrawal jobs): settles a REQUESTED withdrawal by what the
 * chain knows of its transfer, given by the caller (the hash `transfer` answered, or what the
 * chain said) or asked here by reference. Submitted or CONFIRMED: SENT with the hash,
 * withdrawals.pending -> external. NOT_FOUND or FAILED (the transfer did not happen, and cannot
 * any more): FAILED, the funds back to the member's available balance. PENDING, or a chain that
 * cannot be asked: nothing moves. Once per withdrawal: the row is locked and must still be
 * REQUESTED (else SKIPPED), and the ledger key `withdrawal.settle:<id>` backs it.
 * Asking the chain, it refuses a caller's transaction (none stays open across a chain call);
 * given the answer, it joins it.
 */
@Injectable()
export class SettleWithdrawal implements UseCase<z.input<typeof SettleWithdrawalCommand>, SettleOutcome> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly chain: ChainAdapter,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'withdrawals' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof SettleWithdrawalCommand>): Promise<SettleOutcome> {
    // It moves funds on what it is told the chain answered: only the withdrawal jobs may say so.
    assertSystem(ctx, 'SettleWithdrawal');
    const { withdrawalId, transfer } = parseCommand(SettleWithdrawalCommand, input);
    let known: z.infer<typeof TransferAnswerSchema>;
    if (transfer) {
      known = transfer;
    } else {
      assertOwnTransaction(ctx, 'SettleWithdrawal');
      const [withdrawal]: Array<{ status: WithdrawalStatus }> = await this.dataSource.query(`SELECT status FROM withdrawals WHERE id = $1`, [withdrawalId]);
      if (withdrawal?.status !== 'REQUESTED') return 'SKIPPED';
      try {
        known = await this.chain.statusOf(withdrawalId);
      } catch (error) {
        this.log.warn({ err: error, withdrawalId }, 'could not ask the chain about a withdrawal; will check again');
        return 'PENDING';
      }
    }
    switch (known.status) {
      case 'SUBMITTED':
      case 'CONFIRMED':
        return this.settle(ctx, withdrawalId, { status: 'SENT', txHash: known.txHash });
      case 'PENDING':
        this.log.warn({ withdrawalId }, 'withdrawal transfer outcome unknown; funds stay held until the chain knows');
        return 'PENDING';
      case 'NOT_FOUND':
      case 'FAILED':
        this.log.error({ withdrawalId, chain: known.status }, 'withdrawal transfer did not happen; returning the funds');
        return this.settle(ctx, withdrawalId, { status: 'FAILED', reason: known.status === 'FAILED' ? 'transfer failed on chain' : 'transfer not sent' });
    }
  }

  private settle(
    ctx: UseCaseContext,
    withdrawalId: string,
    result: { status: 'SENT'; txHash: string } | { status: 'FAILED'; reason: string },
  ): Promise<SettleOutcome> {
    return inUseCaseTransaction(ctx, this.dataSource, async (tx: EntityManager): Promise<SettleOutcome> => {
      const [withdrawal]: Array<{ user_id: string; amount: string; status: WithdrawalStatus }> = await tx.query(
        `SELECT user_id, amount::text AS amount, status FROM withdrawals WHERE id = $1 FOR UPDATE`,
        [withdrawalId],
      );
      if (withdrawal?.status !== 'REQUESTED') return 'SKIPPED';
      const units = toUnits(withdrawal.amount);
      const sent = result.status === 'SENT';
      const posted = await this.ledger.post(tx, {
        kind: 'WITHDRAWAL',
        reason: sent ? 'withdrawal.sent' : 'withdrawal.failed',
        reference: withdrawalId,
        idempotencyKey: `withdrawal.settle:${withdrawalId}`,
        postings: [
          { accountId: SystemAccounts.withdrawalsPending.id, amount: -units },
          { accountId: sent ? SystemAccounts.external.id : walletAccounts(withdrawal.user_id).available, amount: units },
        ],
      });
      await tx.query(`UPDATE withdrawals SET status = $2, tx_hash = $3, failure_reason = $4, settle_transaction_id = $5, updated_at = now() WHERE id = $1`, [
        withdrawalId,
        result.status,
        sent ? result.txHash : null,
        sent ? null : result.reason.slice(0, 500),
        posted.id,
      ]);
      await this.events.publish(
        tx,
        WithdrawalSent,
        {
          withdrawalId,
          userId: withdrawal.user_id,
          amount: canonicalTokens(withdrawal.amount),
          status: result.status,
          txHash: sent ? result.txHash : null,
          sentAt: posted.createdAt.toISOString(),
        },
        { traceparent: ctx.traceparent },
      );
      await this.balances.publish(tx, posted, ctx.traceparent);
      this.log.info({ withdrawalId, status: result.status }, 'withdrawal settled');
      return result.status;
    });
  }
}
