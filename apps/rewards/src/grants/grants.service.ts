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
  /** The value a rate policy applies to (a paid invoice's subtotal in USD); ignored by fixed-amount policies. */
  basis?: Money;
  /**
   * What the earnings accrue to when one source earns many grants (a referral earns one grant
   * per paid invoice): the policy's per-source cap sums over it, and RewardGranted carries it.
   */
  sourceId?: string;
  /** When the source started earning (a referral's qualification): the policy's earning window runs from it. */
  sourceStartedAt?: string;
  eventId?: string;
  traceparent?: string;
  /**
   * When the work was done or the value paid (the earning event's time). With it, a grant to a
   * user not (yet) known as a member waits for their KycApproved instead of being refused at
   * once. Daily and monthly caps count grants by this instant (UTC), so a replay counts where
   * the original did; without it, now.
   */
  earnedAt?: string;
}

export type GrantOutcome =
  | { status: 'PAID'; grantId: string; amount: string; transactionId: string }
  | { status: 'REFUSED'; grantId: string; reason: GrantRefusal }
  | { status: 'AWAITING_MEMBERSHIP' }
  | { status: 'DUPLICATE' };

type Decision = { pay: bigint } | { refuse: GrantRefusal };

interface PolicyTerms {
  amount: string | null;
  rate: string | null;
  rateCurrency: string | null;
  active: boolean;
  capPerGrant: string | null;
  capPerBeneficiaryDay: string | null;
  capPerBeneficiaryMonth: string | null;
  capPerSource: string | null;
  earningWindowDays: number | null;
  oncePerReference: boolean;
}

interface GrantContext {
  decided: boolean;
  member: boolean;
  policy: PolicyTerms;
}

const DAY_MS = 86_400_000;

/**
 * Pays rewards from the community pool under a policy: the one use case behind every
 * reward event handler (and the ledger benchmark). Idempotent on (policy, reference,
 * beneficiary); members only; never more than the pool holds, the policy's caps allow or its
 * earning window covers, and never partially: a grant over a limit is refused whole and
 * recorded with the reason, which the beneficiary sees in `wallet.rewards`.
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
  async grant(tx: EntityManager, command: GrantCommand, mode: { mayAwaitMembership?: boolean } = {}): Promise<GrantOutcome> {
    const beneficiaryId = command.beneficiaryId.toLowerCase();
    const key = [command.policyKey, command.reference, beneficiaryId] as const;
    const context = await this.context(tx, key);
    if (context.decided) return { status: 'DUPLICATE' };

    const mayAwait = mode.mayAwaitMembership ?? true;
    if (!context.member && context.policy.active && command.earnedAt && mayAwait) return this.awaitMembership(tx, command, key);

    const decision = await this.decide(tx, command, beneficiaryId, context);
    const grantId = randomUUID();
    if ('refuse' in decision) return this.refuse(tx, grantId, command, beneficiaryId, decision.refuse);

    // Claim the (policy, reference, beneficiary) slot first: a concurrent duplicate waits on the
    // unique index, then finds it taken, without having touched any ledger account.
    const transactionId = randomUUID();
    const amount = fromUnits(decision.pay);
    const claimed: unknown[] = await tx.query(
      `INSERT INTO reward_grants (id, policy_key, reference, beneficiary_id, amount, status, transaction_id, event_id, source_id, earned_at)
       VALUES ($1, $2, $3, $4, $5, 'PAID', $6, $7, $8, $9)
       ON CONFLICT (policy_key, reference, beneficiary_id) DO NOTHING
       RETURNING id`,
      [grantId, ...key, amount, transactionId, command.eventId ?? null, command.sourceId ?? null, earnedAt(command)],
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
    await this.events.publish(
      tx,
      RewardGranted,
      { grantId, beneficiaryId, policy: command.policyKey, amount, reference: command.reference, ...(command.sourceId ? { sourceId: command.sourceId } : {}), grantedAt },
      options,
    );
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
      if (earned_at.getTime() >= approved) outcomes.push(await this.grant(tx, command, { mayAwaitMembership: false }));
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
    const rows: Array<{
      decided: boolean;
      member: boolean;
      found: boolean;
      amount: string | null;
      rate: string | null;
      rate_currency: string | null;
      active: boolean | null;
      cap_per_grant: string | null;
      cap_per_beneficiary_day: string | null;
      cap_per_beneficiary_month: string | null;
      cap_per_source: string | null;
      earning_window_days: number | null;
      once_per_reference: boolean | null;
    }> = await tx.query(
      `SELECT EXISTS (SELECT 1 FROM reward_grants WHERE policy_key = $1 AND reference = $2 AND beneficiary_id = $3) AS decided,
              EXISTS (SELECT 1 FROM members WHERE user_id = $3) AS member,
              p.key IS NOT NULL AS found, p.amount::text AS amount, p.rate::text AS rate, p.rate_currency, p.active,
              p.cap_per_grant::text AS cap_per_grant, p.cap_per_beneficiary_day::text AS cap_per_beneficiary_day,
              p.cap_per_beneficiary_month::text AS cap_per_beneficiary_month, p.cap_per_source::text AS cap_per_source,
              p.earning_window_days, p.once_per_reference
         FROM (SELECT 1) one LEFT JOIN reward_policies p ON p.key = $1`,
      [policyKey, reference, beneficiaryId],
    );
    const row = rows[0];
    // A missing policy is a deployment error, not a refusal: fail (retried, then dead-lettered).
    if (!row.found) throw new Error(`unknown reward policy ${policyKey}`);
    return {
      decided: row.decided,
      member: row.member,
      policy: {
        amount: row.amount,
        rate: row.rate,
        rateCurrency: row.rate_currency,
        active: row.active === true,
        capPerGrant: row.cap_per_grant,
        capPerBeneficiaryDay: row.cap_per_beneficiary_day,
        capPerBeneficiaryMonth: row.cap_per_beneficiary_month,
        capPerSource: row.cap_per_source,
        earningWindowDays: row.earning_window_days,
        oncePerReference: row.once_per_reference === true,
      },
    };
  }

  private async decide(tx: EntityManager, command: GrantCommand, beneficiaryId: string, context: GrantContext): Promise<Decision> {
    const { policy } = context;
    if (!policy.active) return { refuse: 'POLICY_INACTIVE' };
    if (!context.member) return { refuse: 'NOT_A_MEMBER' };
    if (policy.oncePerReference && (await this.referenceRewarded(tx, command))) return { refuse: 'ALREADY_REWARDED' };
    if (outsideEarningWindow(command, policy.earningWindowDays)) return { refuse: 'OUTSIDE_EARNING_WINDOW' };

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
    if (policy.capPerGrant !== null && amount > toUnits(policy.capPerGrant)) return { refuse: 'GRANT_CAP' };
    const cap = await this.capReached(tx, command, beneficiaryId, policy, amount);
    return cap ? { refuse: cap } : { pay: amount };
  }

  /**
   * For a once-per-reference policy (screening: the first decision on a talent pays, whoever
   * makes it): whether any grant of it, paid or refused, already names this reference. Taken
   * under a lock on (policy, reference), so two inspectors screening one talent at once cannot
   * both be first.
   */
  private async referenceRewarded(tx: EntityManager, command: GrantCommand): Promise<boolean> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`reward:${command.policyKey}:${command.reference}`]);
    const rows: unknown[] = await tx.query(`SELECT 1 FROM reward_grants WHERE policy_key = $1 AND reference = $2 LIMIT 1`, [command.policyKey, command.reference]);
    return rows.length > 0;
  }

  /**
   * The first cap this grant would exceed, if any: the beneficiary's paid grants of the policy
   * in the UTC day and month it was earned, and the source's paid grants. The beneficiary's
   * wallet is locked first (as `Ledger.prepare` would, same order), so concurrent grants to one
   * beneficiary are counted one after the other and cannot both slip under a cap.
   */
  private async capReached(tx: EntityManager, command: GrantCommand, beneficiaryId: string, policy: PolicyTerms, amount: bigint): Promise<GrantRefusal | null> {
    const sourceCapped = policy.capPerSource !== null && command.sourceId !== undefined;
    if (policy.capPerBeneficiaryDay === null && policy.capPerBeneficiaryMonth === null && !sourceCapped) return null;
    await tx.query(`SELECT id FROM ledger_accounts WHERE owner_id = $1 ORDER BY id FOR UPDATE`, [beneficiaryId]);
    const at = new Date(earnedAt(command));
    const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
    const month = [Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1), Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1)];
    const rows: Array<{ day: string; month: string; source: string }> = await tx.query(
      `SELECT COALESCE(sum(amount) FILTER (WHERE beneficiary_id = $2 AND earned_at >= $3 AND earned_at < $4), 0)::text AS day,
              COALESCE(sum(amount) FILTER (WHERE beneficiary_id = $2 AND earned_at >= $5 AND earned_at < $6), 0)::text AS month,
              COALESCE(sum(amount) FILTER (WHERE source_id = $7), 0)::text AS source
         FROM reward_grants
        WHERE policy_key = $1 AND status = 'PAID' AND (beneficiary_id = $2 OR source_id = $7)`,
      [command.policyKey, beneficiaryId, new Date(day), new Date(day + DAY_MS), new Date(month[0]), new Date(month[1]), command.sourceId ?? null],
    );
    const sums = rows[0];
    const over = (cap: string | null, sum: string) => cap !== null && toUnits(sum) + amount > toUnits(cap);
    if (over(policy.capPerBeneficiaryDay, sums.day)) return 'DAILY_CAP';
    if (over(policy.capPerBeneficiaryMonth, sums.month)) return 'MONTHLY_CAP';
    if (sourceCapped && over(policy.capPerSource, sums.source)) return 'SOURCE_CAP';
    return null;
  }

  private async refuse(
    tx: EntityManager,
    grantId: string,
    command: GrantCommand,
    beneficiaryId: string,
    reason: GrantRefusal,
  ): Promise<GrantOutcome> {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO reward_grants (id, policy_key, reference, beneficiary_id, amount, status, refusal_reason, event_id, source_id, earned_at)
       VALUES ($1, $2, $3, $4, $5, 'REFUSED', $6, $7, $8, $9)
       ON CONFLICT (policy_key, reference, beneficiary_id) DO NOTHING
       RETURNING id`,
      [grantId, command.policyKey, command.reference, beneficiaryId, null, reason, command.eventId ?? null, command.sourceId ?? null, earnedAt(command)],
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

/** When a grant counts as earned (caps, windows): the earning event's time, or now. */
const earnedAt = (command: GrantCommand): string => command.earnedAt ?? new Date().toISOString();

/** Earned after the source's window closed (e.g. an invoice paid more than N days after the referral qualified). */
function outsideEarningWindow(command: GrantCommand, windowDays: number | null): boolean {
  if (windowDays === null || !command.sourceStartedAt) return false;
  return new Date(earnedAt(command)).getTime() > new Date(command.sourceStartedAt).getTime() + windowDays * DAY_MS;
}
