import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { WithdrawalRequested } from '@talent/events';
import {
  callerOf,
  ConflictError,
  EventPublisher,
  fromUnits,
  idempotencyKeySchema,
  InsufficientFundsError,
  inUseCaseTransaction,
  isUniqueViolation,
  MAX_UNITS,
  MembershipProjection,
  parseCommand,
  ROOT_LOGGER,
  tokenAmountSchema,
  toUnits,
  type UseCase,
  type UseCaseContext,
  assertOwnTransaction,
} from '@talent/platform';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { checkWithdrawalAddress } from './eip55';
import { WithdrawalRecord } from './withdrawal.entity';
import { WithdrawalQueue } from './withdrawal-queue';

/** The idempotency key first: a request is refused for its key before anything else is looked at. */
const RequestWithdrawalCommand = z.object({
  idempotencyKey: idempotencyKeySchema.nullish().transform((key) => key ?? null),
  // Beyond NUMERIC(36,18) is not malformed: more than anyone holds, INSUFFICIENT_FUNDS below.
  amount: tokenAmountSchema({ capped: false }),
  toAddress: z.string().transform((toAddress, ctx) => {
    const address = checkWithdrawalAddress(toAddress);
    if (address.ok) return address.address;
    ctx.addIssue({ code: 'custom', message: address.reason });
    return z.NEVER;
  }),
});

/**
 * Use case: a member withdraws to an external address. The amount moves from their available
 * balance to `withdrawals.pending` at request (so it cannot be spent twice), and a job sends it
 * through the chain adapter (see SubmitWithdrawal). With an idempotency key (unique per
 * user), a retry of the same request (after a lost answer or a queueing failure) returns the
 * first withdrawal, held once, and queues it again; the same key with another amount or address
 * is a CONFLICT. The job is queued once the hold is committed, so it runs in a transaction of its own.
 */
@Injectable()
export class RequestWithdrawal implements UseCase<z.input<typeof RequestWithdrawalCommand>, WithdrawalRecord> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly membership: MembershipProjection,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    private readonly queue: WithdrawalQueue,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'withdrawals' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof RequestWithdrawalCommand>): Promise<WithdrawalRecord> {
    assertOwnTransaction(ctx, 'RequestWithdrawal');
    const caller = callerOf(ctx);
    const { idempotencyKey: key, amount: units, toAddress } = parseCommand(RequestWithdrawalCommand, input);
    if (units > MAX_UNITS) throw new InsufficientFundsError();
    const userId = caller.id.toLowerCase();
    const amount = fromUnits(units);
    const same = (w: WithdrawalRecord) => toUnits(w.amount) === units && w.toAddress === toAddress;

    if (key) {
      const earlier = await this.byKey(userId, key);
      if (earlier) return this.replay(earlier, same);
    }
    // A member approved a moment ago may not be in rewards' projection yet: wait, outside the transaction.
    await this.membership.waitUntilMember(userId);

    let record: WithdrawalRecord;
    try {
      record = await inUseCaseTransaction(ctx, this.dataSource, (tx) => this.hold(tx, { userId, units, amount, toAddress, key }, ctx.traceparent));
    } catch (error) {
      // The same key raced in from a concurrent request: that one holds the amount, this one rolled back.
      const earlier = key && isUniqueViolation(error, 'withdrawals_user_idempotency_key') ? await this.byKey(userId, key) : null;
      if (earlier) return this.replay(earlier, same);
      throw error;
    }
    this.log.info({ withdrawalId: record.id, userId, amount }, 'withdrawal requested');
    await this.queue.enqueue(record.id);
    return record;
  }

  /** A request repeated with its idempotency key: the first withdrawal (queued again if still waiting), or CONFLICT. */
  private async replay(earlier: WithdrawalRecord, same: (w: WithdrawalRecord) => boolean): Promise<WithdrawalRecord> {
    if (!same(earlier)) {
      throw new ConflictError('This idempotency key was already used for a withdrawal with another amount or address: use a new key for a new withdrawal');
    }
    if (earlier.status === 'REQUESTED') await this.queue.enqueue(earlier.id);
    return earlier;
  }

  private byKey(userId: string, idempotencyKey: string): Promise<WithdrawalRecord | null> {
    return this.dataSource.getRepository(WithdrawalRecord).findOneBy({ userId, idempotencyKey });
  }

  /** Moves the amount from the member's available balance to `withdrawals.pending` and records the withdrawal. */
  private async hold(
    tx: EntityManager,
    request: { userId: string; units: bigint; amount: string; toAddress: string; key: string | null },
    traceparent?: string,
  ): Promise<WithdrawalRecord> {
    const { userId, units, amount, toAddress, key } = request;
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
      idempotencyKey: key,
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
  }
}
