import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Optional, type OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { WithdrawalRequested } from '@talent/events';
import {
  BadUserInputError,
  ConflictError,
  EventPublisher,
  InsufficientFundsError,
  inTransaction,
  isUniqueViolation,
  JobQueue,
  MembershipProjection,
  ROOT_LOGGER,
  type AuthUser,
} from '@talent/platform';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { DecimalFormatError, fromUnits, MAX_UNITS, toUnits } from '@talent/platform';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { checkWithdrawalAddress } from './eip55';
import { ProcessWithdrawal } from './withdrawal.jobs';
import { WithdrawalRecord } from './withdrawal.entity';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,100}$/;

/**
 * Withdrawals to an external address: the amount moves from the member's available
 * balance to `withdrawals.pending` at request (so it cannot be spent twice), and a job
 * sends it through the chain adapter (see WithdrawalProcessor).
 */
@Injectable()
export class WithdrawalsService implements OnApplicationBootstrap {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly membership: MembershipProjection,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
    @Optional() private readonly jobs?: JobQueue,
  ) {
    this.log = logger.child({ component: 'withdrawals' });
  }

  /** Requests still waiting after a restart (e.g. the process died between commit and enqueue) are queued again. */
  async onApplicationBootstrap(): Promise<void> {
    const waiting: Array<{ id: string }> = await this.dataSource.query(`SELECT id FROM withdrawals WHERE status = 'REQUESTED' ORDER BY created_at`);
    for (const { id } of waiting) await this.enqueue(id);
    if (waiting.length) this.log.info({ count: waiting.length }, 'requested withdrawals queued again');
  }

  /**
   * Holds the amount and queues the transfer. With an idempotency key (unique per user), a retry
   * of the same request (after a lost answer or a queueing failure) returns the first withdrawal,
   * held once, and queues it again; the same key with another amount or address is a CONFLICT.
   */
  async request(
    caller: AuthUser,
    amountInput: string,
    toAddressInput: string,
    traceparent?: string,
    idempotencyKey?: string | null,
  ): Promise<WithdrawalRecord> {
    if (idempotencyKey !== undefined && idempotencyKey !== null && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadUserInputError('idempotencyKey must be 8 to 100 characters: letters, digits, "_" or "-"', 'idempotencyKey');
    }
    const key = idempotencyKey ?? null;
    let units: bigint;
    try {
      units = toUnits(amountInput);
    } catch (error) {
      if (error instanceof DecimalFormatError) throw new BadUserInputError('amount must be a decimal with at most 18 decimals', 'amount');
      throw error;
    }
    if (units <= 0n) throw new BadUserInputError('amount must be greater than 0', 'amount');
    const address = checkWithdrawalAddress(toAddressInput);
    if (!address.ok) throw new BadUserInputError(address.reason, 'toAddress');
    if (units > MAX_UNITS) throw new InsufficientFundsError();
    const userId = caller.id.toLowerCase();
    const amount = fromUnits(units);
    const same = (w: WithdrawalRecord) => toUnits(w.amount) === units && w.toAddress === address.address;

    if (key) {
      const earlier = await this.byKey(userId, key);
      if (earlier) return this.replay(earlier, same);
    }
    // A member approved a moment ago may not be in rewards' projection yet: wait, outside the transaction.
    await this.membership.waitUntilMember(userId);

    let record: WithdrawalRecord;
    try {
      record = await this.hold(userId, units, amount, address.address, key, traceparent);
    } catch (error) {
      // The same key raced in from a concurrent request: that one holds the amount, this one rolled back.
      const earlier = key && isUniqueViolation(error, 'withdrawals_user_idempotency_key') ? await this.byKey(userId, key) : null;
      if (earlier) return this.replay(earlier, same);
      throw error;
    }
    this.log.info({ withdrawalId: record.id, userId, amount }, 'withdrawal requested');
    await this.enqueue(record.id);
    return record;
  }

  /** A request repeated with its idempotency key: the first withdrawal (queued again if still waiting), or CONFLICT. */
  private async replay(earlier: WithdrawalRecord, same: (w: WithdrawalRecord) => boolean): Promise<WithdrawalRecord> {
    if (!same(earlier)) {
      throw new ConflictError('This idempotency key was already used for a withdrawal with another amount or address: use a new key for a new withdrawal');
    }
    if (earlier.status === 'REQUESTED') await this.enqueue(earlier.id);
    return earlier;
  }

  private byKey(userId: string, idempotencyKey: string): Promise<WithdrawalRecord | null> {
    return this.dataSource.getRepository(WithdrawalRecord).findOneBy({ userId, idempotencyKey });
  }

  /** Moves the amount from the member's available balance to `withdrawals.pending` and records the withdrawal, in one transaction. */
  private hold(
    userId: string,
    units: bigint,
    amount: string,
    toAddress: string,
    idempotencyKey: string | null,
    traceparent?: string,
  ): Promise<WithdrawalRecord> {
    return inTransaction(this.dataSource, async (tx) => {
      await this.membership.requireMember(tx, userId, 'withdraw');
      const id = randomUUID();
      const posted = await this.ledger.post(tx, {
        kind: 'WITHDRAWAL',
        reason: 'withdrawal.requested',
        reference: id,
        idempotencyKey: `withdrawal.hold:${id}`,
        postings: [
          { accountId: walletAccounts(userId).available, amount: -units },
          { accountId: SystemAccounts.withdrawalsPending.id, amount: units },
        ],
      });
      const now = posted.createdAt;
      const row: WithdrawalRecord = Object.assign(new WithdrawalRecord(), {
        id,
        userId,
        amount,
        toAddress,
        idempotencyKey,
        status: 'REQUESTED',
        txHash: null,
        failureReason: null,
        holdTransactionId: posted.id,
        settleTransactionId: null,
        createdAt: now,
        updatedAt: now,
      });
      await tx.getRepository(WithdrawalRecord).insert(row);
      await this.events.publish(tx, WithdrawalRequested, { withdrawalId: id, userId, amount, toAddress, requestedAt: now.toISOString() }, { traceparent });
      await this.balances.publish(tx, posted, traceparent);
      return row;
    });
  }

  /** The caller's withdrawals, newest first. */
  mine(caller: AuthUser): Promise<WithdrawalRecord[]> {
    return this.dataSource.getRepository(WithdrawalRecord).find({
      where: { userId: caller.id.toLowerCase() },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: 200,
    });
  }

  private async enqueue(withdrawalId: string): Promise<void> {
    if (!this.jobs) throw new Error('the job queue is not configured');
    // The job id is the withdrawal id: queueing the same withdrawal again is a no-op while its job exists.
    await this.jobs.add(ProcessWithdrawal, { withdrawalId }, { jobId: withdrawalId });
  }
}
