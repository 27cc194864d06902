import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { StakeReleased, StakeSlashed, TreasuryCredited } from '@talent/events';
import { assertSystem, EventPublisher, fromUnits, inUseCaseTransaction, parseCommand, toUnits, type UseCase, type UseCaseContext } from '@talent/platform';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { Ledger } from '../ledger/ledger';
import { publishTreasuryBalance } from '../treasury/treasury-balance';
import { BalanceEvents } from '../wallets/balance-events';
import { findStake, type StakeOutcome } from './stakes';

const SettleApplicationStakeCommand = z.object({
  applicationId: z.string(),
  /** SLASHED: an interview no-show forfeits the stake to the DAO treasury; RELEASED: any other end gives it back. */
  settlement: z.enum(['SLASHED', 'RELEASED']),
});

/**
 * Use case (the system's, on jobs' InterviewRecorded and ApplicationResolved): a LOCKED stake is
 * slashed to the treasury or released to the talent's available balance, once (one ledger key
 * per application for either); a slashed or released stake stays as it is.
 */
@Injectable()
export class SettleApplicationStake implements UseCase<z.input<typeof SettleApplicationStakeCommand>, StakeOutcome> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly ledger: Ledger,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof SettleApplicationStakeCommand>): Promise<StakeOutcome> {
    assertSystem(ctx, 'SettleApplicationStake');
    const { applicationId, settlement } = parseCommand(SettleApplicationStakeCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, (tx) =>
      settlement === 'SLASHED' ? this.slash(tx, applicationId, ctx.traceparent) : this.release(tx, applicationId, ctx.traceparent),
    );
  }

  private async slash(tx: EntityManager, applicationId: string, traceparent?: string): Promise<StakeOutcome> {
    const stake = await findStake(tx, applicationId, true);
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
    await this.markSettled(tx, applicationId, 'SLASHED', posted.id);
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

  private async release(tx: EntityManager, applicationId: string, traceparent?: string): Promise<StakeOutcome> {
    const stake = await findStake(tx, applicationId, true);
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
    await this.markSettled(tx, applicationId, 'RELEASED', posted.id);
    await this.events.publish(
      tx,
      StakeReleased,
      { applicationId, talentId: wallet.userId, amount: fromUnits(units), releasedAt: posted.createdAt.toISOString() },
      { traceparent },
    );
    await this.balances.publish(tx, posted, traceparent);
    return 'RELEASED';
  }

  private async markSettled(tx: EntityManager, applicationId: string, status: 'RELEASED' | 'SLASHED', transactionId: string): Promise<void> {
    await tx.query(`UPDATE stakes SET status = $2, settle_transaction_id = $3, updated_at = now() WHERE application_id = $1`, [
      applicationId,
      status,
      transactionId,
    ]);
  }
}
