import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { GrantPaid, type GrantApproved, type PayloadOf } from '@talent/events';
import { EventPublisher, InsufficientFundsError, MembershipProjection, ROOT_LOGGER } from '@talent/platform';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { fromUnits, toUnits } from '@talent/platform';
import { Ledger } from '../ledger/ledger';
import { BalanceEvents } from '../wallets/balance-events';
import { publishTreasuryBalance } from './treasury-balance';

/** An approved grant (GrantApproved's payload, its amount as 1e-18 units checked by PayTreasuryGrant's command), with the event that carried it. */
export type TreasuryGrantCommand = Omit<PayloadOf<typeof GrantApproved>, 'amount'> & { units: bigint; eventId?: string; traceparent?: string };

export type TreasuryGrantRefusal = 'INSUFFICIENT_TREASURY';

export type TreasuryGrantOutcome =
  | { status: 'PAID'; transactionId: string; amount: string }
  | { status: 'REFUSED'; reason: TreasuryGrantRefusal }
  | { status: 'AWAITING_MEMBERSHIP' }
  | { status: 'DUPLICATE' };

interface ClaimedGrant {
  proposalId: string;
  recipientId: string;
  units: bigint;
  traceparent?: string;
}

/** Ledger idempotency key of a proposal's grant: one payment per proposal, whatever event carries it. */
export const treasuryGrantKey = (proposalId: string): string => `grant:${proposalId.toLowerCase()}`;

/**
 * Pays governance's approved GRANT proposals from the DAO treasury: ONE ledger entry (kind
 * GRANT) moving the amount from `treasury` to the recipient's available balance, decided once
 * per proposal (a `treasury_grants` row, claimed before anything moves, plus the ledger key
 * `grant:<proposalId>`), so a redelivered, replayed or concurrent GrantApproved pays once.
 *
 * - The treasury cannot go below zero (the ledger's trigger refuses it under the account's
 *   lock): a grant larger than what the treasury holds at execution (it can shrink between
 *   proposal and execution) is refused whole and for good, GrantPaid(REFUSED,
 *   INSUFFICIENT_TREASURY), nothing moved. A recorded domain outcome, not a dead letter.
 * - A recipient rewards does not know as a member yet waits, as reward grants do
 *   (migration 1733000000000): KycApproved travels on identity's topic and may be applied here
 *   after governance's event. The grant is paid when their KycApproved arrives
 *   (`settleAwaitingMembership`). Refusing instead would turn a race between two topics into
 *   the permanent loss of a DAO decision; waiting moves nothing, so the treasury keeps the
 *   BTRST until then (and the treasury check happens at payment).
 */
@Injectable()
export class TreasuryGrantsService {
  private readonly log: Logger;

  constructor(
    private readonly ledger: Ledger,
    private readonly membership: MembershipProjection,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'treasury-grants' });
  }

  /** Runs inside the caller's transaction (the inbox transaction of GrantApproved). */
  async pay(tx: EntityManager, command: TreasuryGrantCommand): Promise<TreasuryGrantOutcome> {
    const proposalId = command.proposalId.toLowerCase();
    const recipientId = command.recipientId.toLowerCase();
    const { units } = command;
    // Membership and the waiting list are read and written under one lock per recipient, which
    // their KycApproved takes too: a grant cannot start waiting just after the approval settled the list.
    await this.lockRecipient(tx, recipientId);
    const member = await this.membership.isMember(tx, recipientId);
    // Claim the proposal first: a concurrent copy waits on the primary key, then finds it taken.
    const claimed: unknown[] = await tx.query(
      `INSERT INTO treasury_grants (proposal_id, recipient_id, amount, status, approved_at, event_id)
       VALUES ($1, $2, $3, 'AWAITING_MEMBERSHIP', $4, $5)
       ON CONFLICT (proposal_id) DO NOTHING
       RETURNING proposal_id`,
      [proposalId, recipientId, fromUnits(units), command.approvedAt, command.eventId ?? null],
    );
    // The ledger key `grant:<proposalId>` (unique) backs the claim: the entry can never be posted twice.
    if (claimed.length === 0) return { status: 'DUPLICATE' };
    if (!member) {
      this.log.info({ proposalId, recipientId, amount: fromUnits(units) }, "treasury grant waits for the recipient's membership");
      return { status: 'AWAITING_MEMBERSHIP' };
    }
    return this.decide(tx, { proposalId, recipientId, units, traceparent: command.traceparent });
  }

  /**
   * The recipient's KycApproved arrived: pays the grants that waited for it (each still refused
   * if the treasury cannot pay it now). The approval itself is the proof of membership, so this
   * does not depend on the members projection having been written first in the same transaction.
   */
  async settleAwaitingMembership(tx: EntityManager, userId: string, traceparent?: string): Promise<TreasuryGrantOutcome[]> {
    const recipientId = userId.toLowerCase();
    await this.lockRecipient(tx, recipientId);
    const waiting: Array<{ proposal_id: string; amount: string }> = await tx.query(
      `SELECT proposal_id, amount::text AS amount FROM treasury_grants
        WHERE recipient_id = $1 AND status = 'AWAITING_MEMBERSHIP'
        ORDER BY approved_at, proposal_id
        FOR UPDATE`,
      [recipientId],
    );
    if (waiting.length === 0) return [];
    await this.ledger.openWallet(tx, recipientId);
    const outcomes: TreasuryGrantOutcome[] = [];
    for (const grant of waiting) {
      outcomes.push(await this.decide(tx, { proposalId: grant.proposal_id, recipientId, units: toUnits(grant.amount), traceparent }));
    }
    return outcomes;
  }

  /** Pays a claimed grant, or refuses it if the treasury cannot pay all of it; either way, for good. */
  private async decide(tx: EntityManager, grant: ClaimedGrant): Promise<TreasuryGrantOutcome> {
    const { proposalId, recipientId, units, traceparent } = grant;
    const amount = fromUnits(units);
    const wallet = walletAccounts(recipientId);
    let posted;
    try {
      // The recipient's wallet is locked in `prepare`, the treasury in `commit`, where the trigger
      // refuses a negative balance (rolled back to the ledger's savepoint: nothing was written).
      posted = await this.ledger.post(tx, {
        kind: 'GRANT',
        reason: 'treasury.grant',
        reference: proposalId,
        idempotencyKey: treasuryGrantKey(proposalId),
        postings: [
          { accountId: SystemAccounts.treasury.id, amount: -units },
          { accountId: wallet.available, amount: units },
        ],
      });
    } catch (error) {
      if (!(error instanceof InsufficientFundsError)) throw error;
      return this.refuse(tx, grant, 'INSUFFICIENT_TREASURY');
    }
    await tx.query(`UPDATE treasury_grants SET status = 'PAID', transaction_id = $2, decided_at = $3 WHERE proposal_id = $1`, [
      proposalId,
      posted.id,
      posted.createdAt,
    ]);
    // The recipient's posting: the same entry their BalanceChanged names.
    const recipientEntry = posted.postings.find((p) => p.accountId === wallet.available)!;
    await this.events.publish(
      tx,
      GrantPaid,
      { proposalId, recipientId, amount, status: 'PAID', refusalReason: null, entryId: recipientEntry.id, paidAt: posted.createdAt.toISOString() },
      { traceparent },
    );
    await publishTreasuryBalance(this.events, tx, posted, 'GRANT', traceparent);
    await this.balances.publish(tx, posted, traceparent);
    this.log.info({ proposalId, recipientId, amount, transactionId: posted.id }, 'treasury grant paid');
    return { status: 'PAID', transactionId: posted.id, amount };
  }

  private async refuse(tx: EntityManager, grant: ClaimedGrant, reason: TreasuryGrantRefusal): Promise<TreasuryGrantOutcome> {
    const { proposalId, recipientId, units, traceparent } = grant;
    const decidedAt = new Date();
    await tx.query(`UPDATE treasury_grants SET status = 'REFUSED', refusal_reason = $2, decided_at = $3 WHERE proposal_id = $1`, [
      proposalId,
      reason,
      decidedAt,
    ]);
    const amount = fromUnits(units);
    await this.events.publish(
      tx,
      GrantPaid,
      { proposalId, recipientId, amount, status: 'REFUSED', refusalReason: reason, entryId: null, paidAt: decidedAt.toISOString() },
      { traceparent },
    );
    this.log.warn({ proposalId, recipientId, amount, reason }, 'treasury grant refused');
    return { status: 'REFUSED', reason };
  }

  private async lockRecipient(tx: EntityManager, recipientId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`treasury.grant:${recipientId}`]);
  }
}
