import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { ApplicationSubmitted, StakeLocked, StakeRejected } from '@talent/events';
import {
  assertSystem,
  EventPublisher,
  fromUnits,
  InsufficientFundsError,
  inUseCaseTransaction,
  MembershipProjection,
  parseCommand,
  ROOT_LOGGER,
  TokenAmountSchema,
  type UseCase,
  type UseCaseContext,
} from '@talent/platform';
import { walletAccounts } from '../ledger/accounts';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import type { StakeRejection } from './stake.entity';
import { findStake, type StakeOutcome } from './stakes';

const LockApplicationStakeCommand = ApplicationSubmitted.schema;

/**
 * Use case (the system's, on jobs' ApplicationSubmitted): the application's stake is locked from
 * the talent's available balance, once per application (its `stakes` row). A stake that cannot
 * be locked (not a positive amount, not a member, not enough available) is recorded REJECTED
 * with StakeRejected: a domain outcome, not a dead letter.
 */
@Injectable()
export class LockApplicationStake implements UseCase<z.input<typeof LockApplicationStakeCommand>, StakeOutcome> {
  private readonly log: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly membership: MembershipProjection,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'staking' });
  }

  async execute(ctx: UseCaseContext, input: z.input<typeof LockApplicationStakeCommand>): Promise<StakeOutcome> {
    assertSystem(ctx, 'LockApplicationStake');
    const application = parseCommand(LockApplicationStakeCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, (tx) => this.lock(tx, application, ctx.traceparent));
  }

  private async lock(tx: EntityManager, application: z.output<typeof LockApplicationStakeCommand>, traceparent?: string): Promise<StakeOutcome> {
    const { applicationId, stake } = application;
    const talentId = application.talentId.toLowerCase();
    if (stake === null) return 'UNCHANGED';
    if (await findStake(tx, applicationId)) return 'UNCHANGED';

    // Not in the command: a stake that is not a positive amount fitting NUMERIC(36,18) is REJECTED, not a dead letter.
    const parsed = TokenAmountSchema.safeParse(stake);
    const reject = async (reason: StakeRejection): Promise<StakeOutcome> => {
      const recorded = parsed.success ? stake : '0';
      await tx.query(`INSERT INTO stakes (application_id, talent_id, amount, status, rejection_reason) VALUES ($1, $2, $3, 'REJECTED', $4)`, [
        applicationId,
        talentId,
        recorded,
        reason,
      ]);
      await this.events.publish(tx, StakeRejected, { applicationId, talentId, amount: stake, reason, rejectedAt: new Date().toISOString() }, { traceparent });
      this.log.info({ applicationId, talentId, amount: stake, reason }, 'stake rejected');
      return 'REJECTED';
    };
    if (!parsed.success) return reject('INVALID_AMOUNT');
    if (!(await this.membership.isMember(tx, talentId))) return reject('NOT_A_MEMBER');

    const units = parsed.data;
    const wallet = walletAccounts(talentId);
    let posted;
    try {
      posted = await this.ledger.post(tx, {
        kind: 'STAKE_LOCK',
        reason: 'stake.lock',
        reference: applicationId,
        idempotencyKey: `stake.lock:${applicationId}`,
        postings: [
          { accountId: wallet.available, amount: -units },
          { accountId: wallet.locked, amount: units },
        ],
      });
    } catch (error) {
      if (error instanceof InsufficientFundsError) return reject('INSUFFICIENT_FUNDS');
      throw error;
    }
    const amount = fromUnits(units);
    await tx.query(`INSERT INTO stakes (application_id, talent_id, amount, status, lock_transaction_id) VALUES ($1, $2, $3, 'LOCKED', $4)`, [
      applicationId,
      talentId,
      amount,
      posted.id,
    ]);
    await this.events.publish(tx, StakeLocked, { applicationId, talentId, amount, lockedAt: posted.createdAt.toISOString() }, { traceparent });
    await this.balances.publish(tx, posted, traceparent);
    return 'LOCKED';
  }
}
