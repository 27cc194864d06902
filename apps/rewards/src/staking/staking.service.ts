import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { StakeLocked, StakeRejected, StakeReleased, StakeSlashed, TreasuryCredited, type ApplicationSubmitted, type PayloadOf } from '@talent/events';
import { EventPublisher, InsufficientFundsError, MembershipProjection, ROOT_LOGGER } from '@talent/platform';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { fromUnits, isValidPositiveAmount, toUnits } from '@talent/platform';
import { Ledger } from '../ledger/ledger';
import { publishTreasuryBalance } from '../treasury/treasury-balance';
import { BalanceEvents } from '../wallets/balance-events';
import type { StakeRejection, StakeStatus } from './stake.entity';

interface StakeRow {
  talent_id: string;
  amount: string;
  status: StakeStatus;
}

export type StakeOutcome = 'LOCKED' | 'REJECTED' | 'RELEASED' | 'SLASHED' | 'UNCHANGED';

/**
 * Application stakes: locked from the talent's available balance when the application is
 * submitted, forfeited to the DAO treasury on an interview no-show, released otherwise when
 * the application resolves. One state row per application makes every step happen once.
 */
@Injectable()
export class StakingService {
  private readonly log: Logger;

  constructor(
    private readonly ledger: Ledger,
    private readonly membership: MembershipProjection,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'staking' });
  }

  async lock(tx: EntityManager, application: PayloadOf<typeof ApplicationSubmitted>, traceparent?: string): Promise<StakeOutcome> {
    const { applicationId, stake } = application;
    const talentId = application.talentId.toLowerCase();
    if (stake === null) return 'UNCHANGED';
    if (await this.find(tx, applicationId)) return 'UNCHANGED';

    const reject = async (reason: StakeRejection): Promise<StakeOutcome> => {
      const recorded = isValidPositiveAmount(stake) ? stake : '0';
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
    if (!isValidPositiveAmount(stake)) return reject('INVALID_AMOUNT');
    if (!(await this.membership.isMember(tx, talentId))) return reject('NOT_A_MEMBER');

    const units = toUnits(stake);
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

  /** A no-show forfeits a locked stake to the DAO treasury. */
  async slash(tx: EntityManager, applicationId: string, traceparent?: string): Promise<StakeOutcome> {
    const stake = await this.find(tx, applicationId, true);
    if (stake?.status !== 'LOCKED') return 'UNCHANGED';
    const units = toUnits(stake.amount);
    const wallet = walletAccounts(stake.talent_id);
    const posted = await this.ledger.post(tx, {
      kind: 'STAKE_SLASH',
      reason: 'stake.slash',
      reference: applicationId,
      idempotencyKey: `stake.settle:${applicationId}`,
      postings: [
        { accountId: wallet.locked, amount: -units },
        { accountId: SystemAccounts.treasury.id, amount: units },
      ],
    });
    await this.settle(tx, applicationId, 'SLASHED', posted.id);
    const amount = fromUnits(units);
    const at = posted.createdAt.toISOString();
    const treasuryEntry = posted.postings.find((p) => p.accountId === SystemAccounts.treasury.id)!;
    await this.events.publish(tx, StakeSlashed, { applicationId, talentId: wallet.userId, amount, slashedAt: at }, { traceparent });
    await this.events.publish(
      tx,
      TreasuryCredited,
      { entryId: treasuryEntry.id, amount, source: 'STAKE_SLASH', reference: applicationId, creditedAt: at },
      { traceparent },
    );
    await publishTreasuryBalance(this.events, tx, posted, 'STAKE_SLASH', traceparent);
    await this.balances.publish(tx, posted, traceparent);
    return 'SLASHED';
  }

  /** Any other end of the application gives a locked stake back to the talent's available balance. */
  async release(tx: EntityManager, applicationId: string, traceparent?: string): Promise<StakeOutcome> {
    const stake = await this.find(tx, applicationId, true);
    if (stake?.status !== 'LOCKED') return 'UNCHANGED';
    const units = toUnits(stake.amount);
    const wallet = walletAccounts(stake.talent_id);
    const posted = await this.ledger.post(tx, {
      kind: 'STAKE_RELEASE',
      reason: 'stake.release',
      reference: applicationId,
      idempotencyKey: `stake.settle:${applicationId}`,
      postings: [
        { accountId: wallet.locked, amount: -units },
        { accountId: wallet.available, amount: units },
      ],
    });
    await this.settle(tx, applicationId, 'RELEASED', posted.id);
    await this.events.publish(
      tx,
      StakeReleased,
      { applicationId, talentId: wallet.userId, amount: fromUnits(units), releasedAt: posted.createdAt.toISOString() },
      { traceparent },
    );
    await this.balances.publish(tx, posted, traceparent);
    return 'RELEASED';
  }

  private async find(tx: EntityManager, applicationId: string, forUpdate = false): Promise<StakeRow | undefined> {
    const rows: StakeRow[] = await tx.query(
      `SELECT talent_id, amount::text AS amount, status FROM stakes WHERE application_id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [applicationId],
    );
    return rows[0];
  }

  private async settle(tx: EntityManager, applicationId: string, status: 'RELEASED' | 'SLASHED', transactionId: string): Promise<void> {
    await tx.query(`UPDATE stakes SET status = $2, settle_transaction_id = $3, updated_at = now() WHERE application_id = $1`, [
      applicationId,
      status,
      transactionId,
    ]);
  }
}
