import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { PublicRewardGranted, RewardGranted, type Money } from '@talent/events';
import { EventPublisher, InsufficientFundsError, ROOT_LOGGER } from '@talent/platform';
import { COMMUNITY_POOL, walletAccounts } from '../ledger/accounts';
import { DecimalFormatError, fromUnits, MAX_UNITS, mulUnits, toUnits, toUnitsTruncated } from '../ledger/decimal';
import { Ledger } from '../ledger/ledger';
import { PoliciesService } from '../policies/policies.service';
import { BalanceEvents } from '../wallets/balance-events';
import type { GrantRefusal } from './grant.entity';

export interface GrantCommand {
  policyKey: string;
  /** Id of the event or object that earned it (with policy and beneficiary: the idempotency key). */
  reference: string;
  beneficiaryId: string;
  /** The value a rate policy applies to (e.g. a contract value); ignored by fixed-amount policies. */
  basis?: Money;
  eventId?: string;
  traceparent?: string;
  /**
   * When the work was done (the earning event's occurredAt). With it, a grant to a user not
   * (yet) known as a member waits for their KycApproved instead of being refused at once.
   */
  earnedAt?: string;
}

export type GrantOutcome =
  | { status: 'PAID'; grantId: string; amount: string; transactionId: string }
  | { status: 'REFUSED'; grantId: string; reason: GrantRefusal }
  | { status: 'AWAITING_MEMBERSHIP' }
  | { status: 'DUPLICATE' };

type Decision = { pay: bigint } | { refuse: GrantRefusal };

interface GrantContext {
  decided: boolean;
  member: boolean;
  policy: { amount: string | null; rate: string | null; rateCurrency: string | null; active: boolean };
}

/**
 * Pays rewards from the community pool under a policy: the one use case behind every
 * reward event handler (and the ledger benchmark). Idempotent on (policy, reference,
 * beneficiary); members only; never more than the pool holds, never partially.
 */
@Injectable()
export class GrantsService {
  private readonly log: Logger;

  constructor(
    private readonly ledger: Ledger,
    private readonly policies: PoliciesService,
    private readonly balances: BalanceEvents,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'grants' });
  }

  /** Runs inside the caller's transaction (the inbox transaction of the event that earned it). */
  async grant(tx: EntityManager, command: GrantCommand): Promise<GrantOutcome> {
    const beneficiaryId = command.beneficiaryId.toLowerCase();
    const key = [command.policyKey, command.reference, beneficiaryId] as const;
    const context = await this.context(tx, key);
    if (context.decided) return { status: 'DUPLICATE' };

    if (!context.member && context.policy.active && command.earnedAt) return this.awaitMembership(tx, command, key);

    const decision = await this.decide(tx, command, context);
    const grantId = randomUUID();
    if ('refuse' in decision) return this.refuse(tx, grantId, command, beneficiaryId, decision.refuse);

    // Claim the (policy, reference, beneficiary) slot first: a concurrent duplicate waits on the
    // unique index, then finds it taken, without having touched any ledger account.
    const transactionId = randomUUID();
    const amount = fromUnits(decision.pay);
    const claimed: unknown[] = await tx.query(
      `INSERT INTO reward_grants (id, policy_key, reference, beneficiary_id, amount, status, transaction_id, event_id)
       VALUES ($1, $2, $3, $4, $5, 'PAID', $6, $7)
       ON CONFLICT (policy_key, reference, beneficiary_id) DO NOTHING
       RETURNING id`,
      [grantId, ...key, amount, transactionId, command.eventId ?? null],
    );
    if (claimed.length === 0) return { status: 'DUPLICATE' };

    // The beneficiary's wallet is locked now; the community pool only in `commit`, for its last
    // statement and the commit: the events are written before, under a savepoint, so that the
    // pool (every grant's shared account) stays locked as briefly as possible.
    const plan = await this.ledger.prepare(tx, {
      id: transactionId,
      kind: 'REWARD',
      reason: command.policyKey,
      reference: command.reference,
      idempotencyKey: `reward:${key.join(':')}`,
      postings: [
        { accountId: COMMUNITY_POOL.id, amount: -decision.pay },
        { accountId: walletAccounts(beneficiaryId).available, amount: decision.pay },
      ],
    });
    const grantedAt = plan.createdAt.toISOString();
    const options = { traceparent: command.traceparent };
    await tx.query('SAVEPOINT reward_events');
    await this.events.publish(tx, RewardGranted, { grantId, beneficiaryId, policy: command.policyKey, amount, reference: command.reference, grantedAt }, options);
    await this.events.publish(tx, PublicRewardGranted, { grantId, policy: command.policyKey, amount, grantedAt }, options);
    await this.balances.publish(tx, plan, command.traceparent);
    try {
      await this.ledger.commit(tx, plan);
    } catch (error) {
      if (!(error instanceof InsufficientFundsError)) throw error;
      // The pool cannot pay all of it: pay nothing. Decided in this same transaction, before
      // commit, so nobody ever sees the claim as PAID or the events it would have sent.
      await tx.query('ROLLBACK TO SAVEPOINT reward_events');
      await tx.query(`UPDATE reward_grants SET status = 'REFUSED', refusal_reason = 'POOL_EXHAUSTED', transaction_id = NULL WHERE id = $1`, [grantId]);
      this.logRefusal(command, beneficiaryId, 'POOL_EXHAUSTED', amount);
      return { status: 'REFUSED', grantId, reason: 'POOL_EXHAUSTED' };
    }
    return { status: 'PAID', grantId, amount, transactionId };
  }

  /**
   * A member's approval arrived: settles the grants that waited for it. Work done at or after
   * the approval is paid (the approval merely arrived late); earlier work was done by a
   * non-member and is refused (NOT_A_MEMBER), as it would have been on time.
   */
  async settleAwaitingMembership(tx: EntityManager, userId: string, approvedAt: string): Promise<GrantOutcome[]> {
    const waiting: Array<{ command: GrantCommand; earned_at: Date }> = await tx.query(
      // A CTE, so that TypeORM returns the rows (a bare DELETE ... RETURNING comes back as [rows, count]).
      `WITH settled AS (DELETE FROM awaiting_membership_grants WHERE beneficiary_id = $1 RETURNING command, earned_at)
       SELECT command, earned_at FROM settled ORDER BY earned_at`,
      [userId.toLowerCase()],
    );
    const outcomes: GrantOutcome[] = [];
    const approved = new Date(approvedAt).getTime();
    for (const { command, earned_at } of waiting) {
      if (earned_at.getTime() >= approved) outcomes.push(await this.grant(tx, { ...command, earnedAt: undefined }));
      else outcomes.push(await this.refuse(tx, randomUUID(), command, command.beneficiaryId.toLowerCase(), 'NOT_A_MEMBER'));
    }
    return outcomes;
  }

  private async awaitMembership(tx: EntityManager, command: GrantCommand, key: readonly [string, string, string]): Promise<GrantOutcome> {
    await tx.query(
      `INSERT INTO awaiting_membership_grants (policy_key, reference, beneficiary_id, command, earned_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [...key, JSON.stringify(command), command.earnedAt],
    );
    this.log.info({ policy: command.policyKey, reference: command.reference, beneficiaryId: key[2] }, 'reward waits for the beneficiary\'s membership');
    return { status: 'AWAITING_MEMBERSHIP' };
  }

  /** What a decision needs, in one round trip: the policy, membership, and whether this grant was decided already. */
  private async context(tx: EntityManager, [policyKey, reference, beneficiaryId]: readonly [string, string, string]): Promise<GrantContext> {
    const rows: Array<{ decided: boolean; member: boolean; found: boolean; amount: string | null; rate: string | null; rate_currency: string | null; active: boolean | null }> =
      await tx.query(
        `SELECT EXISTS (SELECT 1 FROM reward_grants WHERE policy_key = $1 AND reference = $2 AND beneficiary_id = $3) AS decided,
                EXISTS (SELECT 1 FROM members WHERE user_id = $3) AS member,
                p.key IS NOT NULL AS found, p.amount::text AS amount, p.rate::text AS rate, p.rate_currency, p.active
           FROM (SELECT 1) one LEFT JOIN reward_policies p ON p.key = $1`,
        [policyKey, reference, beneficiaryId],
      );
    const row = rows[0];
    // A missing policy is a deployment error, not a refusal: fail (retried, then dead-lettered).
    if (!row.found) throw new Error(`unknown reward policy ${policyKey}`);
    return { decided: row.decided, member: row.member, policy: { amount: row.amount, rate: row.rate, rateCurrency: row.rate_currency, active: row.active === true } };
  }

  private async decide(tx: EntityManager, command: GrantCommand, context: GrantContext): Promise<Decision> {
    const { policy } = context;
    if (!policy.active) return { refuse: 'POLICY_INACTIVE' };
    if (!context.member) return { refuse: 'NOT_A_MEMBER' };

    let amount: bigint;
    if (policy.amount !== null) {
      amount = toUnits(policy.amount);
    } else {
      const basis = command.basis;
      if (!basis || policy.rate === null || policy.rateCurrency === null) return { refuse: 'INVALID_AMOUNT' };
      const fx = await this.policies.fxRate(tx, basis.currency, policy.rateCurrency);
      if (fx === null) return { refuse: 'NO_FX_RATE' };
      let value: bigint;
      try {
        value = toUnitsTruncated(basis.amount);
      } catch (error) {
        if (error instanceof DecimalFormatError) return { refuse: 'INVALID_AMOUNT' };
        throw error;
      }
      amount = mulUnits(toUnits(policy.rate), mulUnits(value, toUnits(fx)));
    }
    if (amount <= 0n || amount > MAX_UNITS) return { refuse: 'INVALID_AMOUNT' };
    return { pay: amount };
  }

  private async refuse(
    tx: EntityManager,
    grantId: string,
    command: GrantCommand,
    beneficiaryId: string,
    reason: GrantRefusal,
  ): Promise<GrantOutcome> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO reward_grants (id, policy_key, reference, beneficiary_id, amount, status, refusal_reason, event_id)
       VALUES ($1, $2, $3, $4, $5, 'REFUSED', $6, $7)
       ON CONFLICT (policy_key, reference, beneficiary_id) DO NOTHING
       RETURNING id`,
      [grantId, command.policyKey, command.reference, beneficiaryId, null, reason, command.eventId ?? null],
    );
    if (inserted.length === 0) return { status: 'DUPLICATE' };
    this.logRefusal(command, beneficiaryId, reason, null);
    return { status: 'REFUSED', grantId, reason };
  }

  private logRefusal(command: GrantCommand, beneficiaryId: string, reason: GrantRefusal, amount: string | null): void {
    this.log.warn(
      { policy: command.policyKey, reference: command.reference, beneficiaryId, reason, amount, basis: command.basis, eventId: command.eventId },
      'reward refused',
    );
  }
}
