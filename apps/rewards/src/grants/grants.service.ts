import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { BalanceChanged, PublicRewardGranted, RewardGranted, type Money } from '@talent/events';
import {
  activeTraceparent,
  DecimalFormatError,
  deferUntilCommit,
  EventPublisher,
  flushDeferred,
  fromUnits,
  InsufficientFundsError,
  MAX_UNITS,
  mulUnits,
  ROOT_LOGGER,
  toUnits,
  toUnitsTruncated,
  type PendingEvent,
} from '@talent/platform';
import { COMMUNITY_POOL, walletAccounts } from '../ledger/accounts';
import { Ledger, type JournalInput, type LockedAccounts, type PreparedTransaction } from '../ledger/ledger';
import { PoliciesService } from '../policies/policies.service';
import { balanceChanges } from '../wallets/balance-events';
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

/** A grant waiting in its transaction for the batch it is decided with. */
interface PendingGrant {
  command: GrantCommand;
  beneficiaryId: string;
  mayAwaitMembership: boolean;
  /** Decided already by the caller (an approval that came after the work): recorded as refused. */
  refuse?: GrantRefusal;
  /** The span that asked for it (tracing on), or the command's traceparent: its events' parent. */
  traceparent?: string;
  outcome?: GrantOutcome;
}

/** A grant's decision, as recorded in reward_grants. */
interface DecisionRow {
  grant: PendingGrant;
  id: string;
  status: 'PAID' | 'REFUSED';
  amount: bigint | null;
  reason: GrantRefusal | null;
  transactionId: string | null;
}

/** Where a grant stands when it is decided (see `standing`). */
interface Standing {
  decided: boolean;
  member: boolean;
  /** Any grant of a once-per-reference policy names the reference already. */
  referenced: boolean;
  sums: CapSums;
}

/** A grant decided to be paid, with the id its journal transaction will have. */
interface PaidGrant {
  grant: PendingGrant;
  id: string;
  amount: bigint;
  transactionId: string;
}

interface CapSums {
  day: bigint;
  month: bigint;
  source: bigint;
}

const DAY_MS = 86_400_000;
const PENDING = 'rewards:pendingGrants';

/**
 * Pays rewards from the community pool under a policy: the one use case behind every
 * reward event handler (and the ledger benchmark). Idempotent on (policy, reference,
 * beneficiary); members only; never more than the pool holds, the policy's caps allow or its
 * earning window covers, and never partially: a grant over a limit is refused whole and
 * recorded with the reason, which the beneficiary sees in `wallet.rewards`.
 *
 * Grants are decided in batches: `enqueue` adds one to its transaction, and the batch is
 * decided and written just before that transaction commits (or when `grant` needs an answer,
 * or the ledger is about to move a wallet). A consumer applying a batch of events in one
 * transaction thus pays all their grants with a dozen statements instead of a dozen each:
 * what the decisions depend on is locked first, what they read is loaded for all at once, the
 * decisions are taken in order in memory (each seeing the ones before it: caps, duplicates,
 * once-per-reference), and the grants, their events and their journal transactions are written
 * in one statement each.
 *
 * Locks, in this order, each held until commit:
 * - for a grant whose beneficiary is not a member yet, an advisory lock per beneficiary, which
 *   settling that user's approval takes too (so a grant parked as "not a member yet" while the
 *   approval commits is settled by it, never left waiting);
 * - one advisory lock per (policy, beneficiary), per (policy, source) of a source-capped policy
 *   and per (policy, reference) of a once-per-reference policy: exactly what a decision reads
 *   (duplicates, caps, first decision), so grants that could change each other's decision are
 *   decided one after the other, and the others (another policy, another beneficiary) at once;
 * - the paid beneficiaries' wallets (by id), only once the decisions are recorded: for their
 *   BalanceChanged events, which must leave in the order of the changes;
 * - the community pool, by the journal statement, the last before commit.
 */
@Injectable()
export class GrantsService {
  private readonly log: Logger;

  constructor(
    private readonly ledger: Ledger,
    private readonly policies: PoliciesService,
    private readonly events: EventPublisher,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    this.log = logger.child({ component: 'grants' });
  }

  /** Adds a grant to the caller's transaction (the inbox transaction of the event that earned it), decided before it commits. */
  enqueue(tx: EntityManager, command: GrantCommand, mode: { mayAwaitMembership?: boolean } = {}): void {
    this.pending(tx, command, mode);
  }

  /** Decides a grant now (with whatever else waits in the transaction) and says what became of it. */
  async grant(tx: EntityManager, command: GrantCommand, mode: { mayAwaitMembership?: boolean } = {}): Promise<GrantOutcome> {
    const grant = this.pending(tx, command, mode);
    await flushDeferred(tx);
    return grant.outcome!;
  }

  /**
   * A member's approval arrived: settles the grants that waited for it. Work done at or after
   * the approval is paid (the approval merely arrived late); earlier work was done by a
   * non-member and is refused (NOT_A_MEMBER), as it would have been on time.
   */
  async settleAwaitingMembership(tx: EntityManager, userId: string, approvedAt: string): Promise<GrantOutcome[]> {
    // The lock a batch takes before deciding whether to park a grant of this user (see `lockDecisions`):
    // a grant parked by a batch that read "not a member" before this approval committed is seen here, not left waiting.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [awaitingLockKey(userId)]);
    const waiting: Array<{ command: GrantCommand; earned_at: Date }> = await tx.query(
      // A CTE, so that TypeORM returns the rows (a bare DELETE ... RETURNING comes back as [rows, count]).
      `WITH settled AS (DELETE FROM awaiting_membership_grants WHERE beneficiary_id = $1 RETURNING command, earned_at)
       SELECT command, earned_at FROM settled ORDER BY earned_at`,
      [userId.toLowerCase()],
    );
    const approved = new Date(approvedAt).getTime();
    const grants = waiting.map(({ command, earned_at }) =>
      this.pending(tx, command, { mayAwaitMembership: false }, earned_at.getTime() >= approved ? undefined : 'NOT_A_MEMBER'),
    );
    await flushDeferred(tx);
    return grants.map((g) => g.outcome!);
  }

  private pending(tx: EntityManager, command: GrantCommand, mode: { mayAwaitMembership?: boolean }, refuse?: GrantRefusal): PendingGrant {
    const data = tx.queryRunner?.data as Record<string, PendingGrant[] | undefined> | undefined;
    if (!data || !tx.queryRunner?.isTransactionActive) throw new Error('grants are decided inside a transaction');
    const grant: PendingGrant = {
      command,
      beneficiaryId: command.beneficiaryId.toLowerCase(),
      mayAwaitMembership: mode.mayAwaitMembership ?? true,
      refuse,
      traceparent: activeTraceparent() ?? command.traceparent,
    };
    (data[PENDING] ??= []).push(grant);
    deferUntilCommit(tx, PENDING, (m) => this.decidePending(m));
    return grant;
  }

  private async decidePending(tx: EntityManager): Promise<void> {
    const data = tx.queryRunner!.data as Record<string, PendingGrant[] | undefined>;
    const grants = data[PENDING] ?? [];
    delete data[PENDING];
    if (grants.length) await this.decide(tx, grants);
  }

  /** Decides and writes a batch of grants, in order; sets each one's outcome. */
  private async decide(tx: EntityManager, grants: PendingGrant[]): Promise<void> {
    const policies = await this.policiesOf(tx, grants);
    const fx = await this.fxRates(tx, grants, policies);
    await this.lockDecisions(tx, grants, policies);
    const standings = await this.standing(tx, grants, policies);

    const decided = new Set<string>();
    const referenced = new Set<string>(); // once-per-reference pairs decided earlier in this batch
    const added = new Map<string, bigint>(); // cap sums of the grants paid earlier in this batch
    const rows: DecisionRow[] = [];
    const awaiting: PendingGrant[] = [];
    const paid: PaidGrant[] = [];

    grants.forEach((grant, i) => {
      const { command, beneficiaryId } = grant;
      const policy = policies.get(command.policyKey)!;
      const { decided: decidedBefore, member, referenced: referencedBefore, sums } = standings[i];
      const key = `${command.policyKey}|${command.reference}|${beneficiaryId}`;
      const referenceKey = `${command.policyKey}|${command.reference}`;
      if (decidedBefore || decided.has(key)) return void (grant.outcome = { status: 'DUPLICATE' });
      if (!grant.refuse && !member && policy.active && command.earnedAt && grant.mayAwaitMembership) {
        awaiting.push(grant);
        return void (grant.outcome = { status: 'AWAITING_MEMBERSHIP' });
      }
      decided.add(key);
      const id = randomUUID();
      const capKeys = capKeysOf(command, beneficiaryId);
      const decision: Decision = grant.refuse
        ? { refuse: grant.refuse }
        : decideOne(command, policy, member, referencedBefore || referenced.has(referenceKey), fx, {
            day: sums.day + (added.get(capKeys.day) ?? 0n),
            month: sums.month + (added.get(capKeys.month) ?? 0n),
            source: sums.source + (added.get(capKeys.source) ?? 0n),
          });
      if (policy.oncePerReference) referenced.add(referenceKey);
      if ('refuse' in decision) {
        rows.push({ grant, id, status: 'REFUSED', amount: null, reason: decision.refuse, transactionId: null });
        return void (grant.outcome = { status: 'REFUSED', grantId: id, reason: decision.refuse });
      }
      for (const capKey of Object.values(capKeys)) added.set(capKey, (added.get(capKey) ?? 0n) + decision.pay);
      const transactionId = randomUUID();
      rows.push({ grant, id, status: 'PAID', amount: decision.pay, reason: null, transactionId });
      paid.push({ grant, id, amount: decision.pay, transactionId });
      grant.outcome = { status: 'PAID', grantId: id, amount: fromUnits(decision.pay), transactionId };
    });

    const recorded = await this.record(tx, rows);
    if (awaiting.length) {
      await tx.query(
        `INSERT INTO awaiting_membership_grants (policy_key, reference, beneficiary_id, command, earned_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::jsonb[], $5::timestamptz[]) ON CONFLICT DO NOTHING`,
        [
          awaiting.map((g) => g.command.policyKey),
          awaiting.map((g) => g.command.reference),
          awaiting.map((g) => g.beneficiaryId),
          awaiting.map((g) => JSON.stringify(g.command)),
          awaiting.map((g) => g.command.earnedAt),
        ],
      );
      for (const g of awaiting)
        this.log.info(
          { policy: g.command.policyKey, reference: g.command.reference, beneficiaryId: g.beneficiaryId },
          "reward waits for the beneficiary's membership",
        );
    }
    for (const row of recorded) if (row.status === 'REFUSED') this.logRefusal(row.grant, row.reason!, null);
    if (paid.length) await this.pay(tx, paid);
  }

  /**
   * Locks the paid beneficiaries' wallets, writes the grants' events, then their journal
   * transactions in one statement: the last before commit, as it locks the pool (every grant's
   * shared account) until then. Should the pool not cover them all, nothing of the batch is paid
   * at once: each is tried on its own, in order, and those the pool cannot pay are refused whole
   * (POOL_EXHAUSTED).
   */
  private async pay(tx: EntityManager, paid: PaidGrant[]): Promise<void> {
    await tx.query('SAVEPOINT reward_batch'); // released by the commit
    try {
      const accounts = await this.ledger.lockWallets(
        tx,
        paid.map((p) => p.grant.beneficiaryId),
      );
      const plans = paid.map((p) => this.ledger.plan(journalOf(p), accounts));
      await this.events.publishMany(
        tx,
        paid.flatMap((p, i) => this.eventsOf(p.grant, p.id, p.amount, plans[i])),
      );
      await this.ledger.commitMany(tx, plans, { savepoint: false });
      return;
    } catch (error) {
      if (!(error instanceof InsufficientFundsError)) throw error;
      await tx.query('ROLLBACK TO SAVEPOINT reward_batch'); // the wallet locks too
    }
    const accounts = await this.ledger.lockWallets(
      tx,
      paid.map((p) => p.grant.beneficiaryId),
    );
    for (const p of paid) {
      const trial = cloneAccounts(accounts);
      const plan = this.ledger.plan(journalOf(p), trial);
      try {
        await this.ledger.commit(tx, plan);
      } catch (error) {
        if (!(error instanceof InsufficientFundsError)) throw error;
        await tx.query(`UPDATE reward_grants SET status = 'REFUSED', refusal_reason = 'POOL_EXHAUSTED', transaction_id = NULL WHERE id = $1`, [p.id]);
        p.grant.outcome = { status: 'REFUSED', grantId: p.id, reason: 'POOL_EXHAUSTED' };
        this.logRefusal(p.grant, 'POOL_EXHAUSTED', fromUnits(p.amount));
        continue;
      }
      for (const [id, account] of trial) accounts.set(id, account);
      await this.events.publishMany(tx, this.eventsOf(p.grant, p.id, p.amount, plan));
    }
  }

  private eventsOf(grant: PendingGrant, grantId: string, pay: bigint, plan: PreparedTransaction): PendingEvent[] {
    const { command } = grant;
    const amount = fromUnits(pay);
    const grantedAt = plan.createdAt.toISOString();
    const traceparent = grant.traceparent;
    return [
      {
        definition: RewardGranted,
        payload: {
          grantId,
          beneficiaryId: grant.beneficiaryId,
          policy: command.policyKey,
          amount,
          reference: command.reference,
          ...(command.sourceId ? { sourceId: command.sourceId } : {}),
          grantedAt,
        },
        traceparent,
      },
      { definition: PublicRewardGranted, payload: { grantId, policy: command.policyKey, amount, grantedAt }, traceparent },
      ...balanceChanges(plan).map((payload) => ({ definition: BalanceChanged, payload, traceparent })),
    ];
  }

  /**
   * Records the decisions, one row per grant, and returns those recorded. A grant already decided
   * by a concurrent transaction is a duplicate.
   */
  private async record(tx: EntityManager, rows: DecisionRow[]): Promise<DecisionRow[]> {
    if (rows.length === 0) return rows;
    const inserted: Array<{ id: string }> = await tx.query(
      `INSERT INTO reward_grants (id, policy_key, reference, beneficiary_id, amount, status, refusal_reason, transaction_id, event_id, source_id, earned_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::numeric[], $6::text[], $7::text[], $8::uuid[], $9::uuid[], $10::text[], $11::timestamptz[])
       ON CONFLICT (policy_key, reference, beneficiary_id) DO NOTHING
       RETURNING id`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.grant.command.policyKey),
        rows.map((r) => r.grant.command.reference),
        rows.map((r) => r.grant.beneficiaryId),
        rows.map((r) => (r.amount === null ? null : fromUnits(r.amount))),
        rows.map((r) => r.status),
        rows.map((r) => r.reason),
        rows.map((r) => r.transactionId),
        rows.map((r) => r.grant.command.eventId ?? null),
        rows.map((r) => r.grant.command.sourceId ?? null),
        rows.map((r) => earnedAt(r.grant.command)),
      ],
    );
    if (inserted.length === rows.length) return rows;
    const ids = new Set(inserted.map((r) => r.id));
    for (const row of rows.filter((r) => !ids.has(r.id))) {
      // Grants are decided under their (policy, beneficiary) lock (see `lockDecisions`): a conflict here is a bug, not a race to settle.
      if (row.status === 'PAID')
        throw new Error(`reward grant ${row.grant.command.policyKey}/${row.grant.command.reference} was decided concurrently; retrying`);
      row.grant.outcome = { status: 'DUPLICATE' };
    }
    return rows.filter((r) => ids.has(r.id));
  }

  /** The policies of the batch's grants, in one round trip. */
  private async policiesOf(tx: EntityManager, grants: PendingGrant[]): Promise<Map<string, PolicyTerms>> {
    const keys = [...new Set(grants.map((g) => g.command.policyKey))];
    const rows: Array<{
      key: string;
      amount: string | null;
      rate: string | null;
      rate_currency: string | null;
      active: boolean;
      cap_per_grant: string | null;
      cap_per_beneficiary_day: string | null;
      cap_per_beneficiary_month: string | null;
      cap_per_source: string | null;
      earning_window_days: number | null;
      once_per_reference: boolean;
    }> = await tx.query(
      `SELECT key, amount::text AS amount, rate::text AS rate, rate_currency, active,
              cap_per_grant::text AS cap_per_grant, cap_per_beneficiary_day::text AS cap_per_beneficiary_day,
              cap_per_beneficiary_month::text AS cap_per_beneficiary_month, cap_per_source::text AS cap_per_source,
              earning_window_days, once_per_reference
         FROM reward_policies WHERE key = ANY($1::text[])`,
      [keys],
    );
    const policies = new Map(
      rows.map((row) => [
        row.key,
        {
          amount: row.amount,
          rate: row.rate,
          rateCurrency: row.rate_currency,
          active: row.active,
          capPerGrant: row.cap_per_grant,
          capPerBeneficiaryDay: row.cap_per_beneficiary_day,
          capPerBeneficiaryMonth: row.cap_per_beneficiary_month,
          capPerSource: row.cap_per_source,
          earningWindowDays: row.earning_window_days,
          oncePerReference: row.once_per_reference,
        },
      ]),
    );
    // A missing policy is a deployment error, not a refusal: fail (retried, then dead-lettered).
    for (const key of keys) if (!policies.has(key)) throw new Error(`unknown reward policy ${key}`);
    return policies;
  }

  /**
   * Takes the advisory locks the batch's decisions depend on, sorted, in one statement (two grant
   * batches never wait for each other in a cycle): each grant's (policy, beneficiary), for
   * duplicates and the beneficiary caps; (policy, source) where the policy caps a source; and
   * (policy, reference) where it pays once per reference (screening: the first decision on a
   * talent pays, whoever makes it, so two inspectors screening one talent at once cannot both be
   * first); and, for a beneficiary not yet a member, the lock that settling their approval takes
   * (a member stays one, so members' grants need not serialize on it).
   * A batch that locked a wallet before its grants are decided (a stake, then a grant, in one
   * batch) can still meet a grant batch in a cycle: PostgreSQL aborts one, and the consumer
   * retries it as the transient failure it is.
   */
  private async lockDecisions(tx: EntityManager, grants: PendingGrant[], policies: Map<string, PolicyTerms>): Promise<void> {
    const keys = new Set<string>();
    const mayWait = [...new Set(grants.filter((g) => g.mayAwaitMembership).map((g) => g.beneficiaryId))];
    const members: Array<{ user_id: string }> = mayWait.length ? await tx.query(`SELECT user_id FROM members WHERE user_id = ANY ($1::uuid[])`, [mayWait]) : [];
    const isMember = new Set(members.map((m) => m.user_id));
    for (const beneficiaryId of mayWait) if (!isMember.has(beneficiaryId)) keys.add(awaitingLockKey(beneficiaryId));
    for (const { command, beneficiaryId } of grants) {
      const policy = policies.get(command.policyKey)!;
      keys.add(`reward:beneficiary:${command.policyKey}:${beneficiaryId}`);
      if (policy.capPerSource !== null && command.sourceId !== undefined) keys.add(`reward:source:${command.policyKey}:${command.sourceId}`);
      if (policy.oncePerReference) keys.add(`reward:reference:${command.policyKey}:${command.reference}`);
    }
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended(k, 0)) FROM unnest($1::text[]) WITH ORDINALITY AS l (k, n) ORDER BY n`, [[...keys].sort()]);
  }

  /**
   * Where each grant stands, read under the locks of `lockDecisions`: whether it was decided
   * already, whether the beneficiary is a member, whether a once-per-reference policy named the
   * reference already, and the paid sums its caps are measured against (the beneficiary's paid
   * grants of the policy in the UTC day and month it was earned, and the source's), for the whole
   * batch in one round trip.
   */
  private async standing(tx: EntityManager, grants: PendingGrant[], policies: Map<string, PolicyTerms>): Promise<Standing[]> {
    const windows = grants.map((g) => windowsOf(g.command));
    const capped = grants.map(({ command }) => {
      const policy = policies.get(command.policyKey)!;
      return policy.capPerBeneficiaryDay !== null || policy.capPerBeneficiaryMonth !== null || (policy.capPerSource !== null && command.sourceId !== undefined);
    });
    const rows: Array<{ decided: boolean; member: boolean; referenced: boolean; day: string | null; month: string | null; source: string | null }> =
      await tx.query(
        // Written so that each is an index probe per grant whatever the table statistics say (with
        // none yet, EXISTS became a hashed subplan reading all reward_grants, and a source's sum
        // read all grants of its policy): scalar subqueries (LIMIT 1), and the source's sum without
        // a status condition, which keeps it off the caps index (paid grants only) and on the source index.
        `SELECT (SELECT true FROM reward_grants g WHERE g.policy_key = c.policy_key AND g.reference = c.reference AND g.beneficiary_id = c.beneficiary_id LIMIT 1) IS NOT NULL AS decided,
              (SELECT true FROM members m WHERE m.user_id = c.beneficiary_id LIMIT 1) IS NOT NULL AS member,
              c.once_per_reference AND (SELECT true FROM reward_grants g WHERE g.policy_key = c.policy_key AND g.reference = c.reference LIMIT 1) IS NOT NULL AS referenced,
              CASE WHEN c.capped THEN (SELECT COALESCE(sum(g.amount), 0) FROM reward_grants g
                WHERE g.policy_key = c.policy_key AND g.status = 'PAID' AND g.beneficiary_id = c.beneficiary_id AND g.earned_at >= c.day_start AND g.earned_at < c.day_end)::text END AS day,
              CASE WHEN c.capped THEN (SELECT COALESCE(sum(g.amount), 0) FROM reward_grants g
                WHERE g.policy_key = c.policy_key AND g.status = 'PAID' AND g.beneficiary_id = c.beneficiary_id AND g.earned_at >= c.month_start AND g.earned_at < c.month_end)::text END AS month,
              CASE WHEN c.capped AND c.source_id IS NOT NULL THEN (SELECT COALESCE(sum(g.amount) FILTER (WHERE g.status = 'PAID'), 0) FROM reward_grants g
                WHERE g.policy_key = c.policy_key AND g.source_id IS NOT NULL AND g.source_id = c.source_id)::text END AS source
         FROM unnest($1::text[], $2::text[], $3::uuid[], $4::boolean[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[], $8::timestamptz[], $9::text[], $10::boolean[])
              WITH ORDINALITY AS c(policy_key, reference, beneficiary_id, capped, day_start, day_end, month_start, month_end, source_id, once_per_reference, ord)
        ORDER BY c.ord`,
        [
          grants.map((g) => g.command.policyKey),
          grants.map((g) => g.command.reference),
          grants.map((g) => g.beneficiaryId),
          capped,
          windows.map((w) => w.day[0]),
          windows.map((w) => w.day[1]),
          windows.map((w) => w.month[0]),
          windows.map((w) => w.month[1]),
          grants.map((g) => g.command.sourceId ?? null),
          grants.map((g) => policies.get(g.command.policyKey)!.oncePerReference),
        ],
      );
    const units = (sum: string | null) => (sum === null ? 0n : toUnits(sum));
    return rows.map((row) => ({
      decided: row.decided,
      member: row.member,
      referenced: row.referenced,
      sums: { day: units(row.day), month: units(row.month), source: units(row.source) },
    }));
  }

  /** The exchange rates the batch's rate policies need (basis currency -> policy currency); null where none is known. */
  private async fxRates(tx: EntityManager, grants: PendingGrant[], policies: Map<string, PolicyTerms>): Promise<Map<string, string | null>> {
    const rates = new Map<string, string | null>();
    for (const { command } of grants) {
      const policy = policies.get(command.policyKey)!;
      if (policy.amount !== null || !command.basis || policy.rateCurrency === null) continue;
      const pair = `${command.basis.currency}|${policy.rateCurrency}`;
      if (!rates.has(pair)) rates.set(pair, await this.policies.fxRate(tx, command.basis.currency, policy.rateCurrency));
    }
    return rates;
  }

  private logRefusal(grant: PendingGrant, reason: GrantRefusal, amount: string | null): void {
    const { command } = grant;
    this.log.warn(
      {
        policy: command.policyKey,
        reference: command.reference,
        beneficiaryId: grant.beneficiaryId,
        reason,
        amount,
        basis: command.basis,
        eventId: command.eventId,
      },
      'reward refused',
    );
  }
}

/**
 * One grant's decision, from what was loaded for its batch and the sums of the grants paid
 * before it: refused with the first limit it breaks, or paid in full.
 */
function decideOne(
  command: GrantCommand,
  policy: PolicyTerms,
  member: boolean,
  referenceRewarded: boolean,
  fx: Map<string, string | null>,
  sums: CapSums,
): Decision {
  if (!policy.active) return { refuse: 'POLICY_INACTIVE' };
  if (!member) return { refuse: 'NOT_A_MEMBER' };
  if (policy.oncePerReference && referenceRewarded) return { refuse: 'ALREADY_REWARDED' };
  if (outsideEarningWindow(command, policy.earningWindowDays)) return { refuse: 'OUTSIDE_EARNING_WINDOW' };

  let amount: bigint;
  if (policy.amount !== null) {
    amount = toUnits(policy.amount);
  } else {
    const basis = command.basis;
    if (!basis || policy.rate === null || policy.rateCurrency === null) return { refuse: 'INVALID_AMOUNT' };
    const rate = fx.get(`${basis.currency}|${policy.rateCurrency}`) ?? null;
    if (rate === null) return { refuse: 'NO_FX_RATE' };
    let value: bigint;
    try {
      value = toUnitsTruncated(basis.amount);
    } catch (error) {
      if (error instanceof DecimalFormatError) return { refuse: 'INVALID_AMOUNT' };
      throw error;
    }
    amount = mulUnits(toUnits(policy.rate), mulUnits(value, toUnits(rate)));
  }
  if (amount <= 0n || amount > MAX_UNITS) return { refuse: 'INVALID_AMOUNT' };
  if (policy.capPerGrant !== null && amount > toUnits(policy.capPerGrant)) return { refuse: 'GRANT_CAP' };
  const over = (cap: string | null, sum: bigint) => cap !== null && sum + amount > toUnits(cap);
  if (over(policy.capPerBeneficiaryDay, sums.day)) return { refuse: 'DAILY_CAP' };
  if (over(policy.capPerBeneficiaryMonth, sums.month)) return { refuse: 'MONTHLY_CAP' };
  if (policy.capPerSource !== null && command.sourceId !== undefined && over(policy.capPerSource, sums.source)) return { refuse: 'SOURCE_CAP' };
  return { pay: amount };
}

/** The UTC day and month a grant counts in for the caps. */
function windowsOf(command: GrantCommand): { day: [Date, Date]; month: [Date, Date] } {
  const at = new Date(earnedAt(command));
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  return {
    day: [new Date(day), new Date(day + DAY_MS)],
    month: [new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1)), new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1))],
  };
}

/** The in-batch running sums a paid grant adds to (same windows as `standing`). */
function capKeysOf(command: GrantCommand, beneficiaryId: string): CapSumKeys {
  const { day, month } = windowsOf(command);
  return {
    day: `${command.policyKey}|${beneficiaryId}|day|${day[0].getTime()}`,
    month: `${command.policyKey}|${beneficiaryId}|month|${month[0].getTime()}`,
    source: `${command.policyKey}|source|${command.sourceId ?? ''}`,
  };
}

type CapSumKeys = Record<keyof CapSums, string>;

/** A paid grant's journal transaction: from the pool to the beneficiary's wallet. */
function journalOf({ grant, amount, transactionId }: PaidGrant): JournalInput {
  const { policyKey, reference } = grant.command;
  return {
    id: transactionId,
    kind: 'REWARD',
    reason: policyKey,
    reference,
    idempotencyKey: `reward:${policyKey}:${reference}:${grant.beneficiaryId}`,
    postings: [
      { accountId: COMMUNITY_POOL.id, amount: -amount },
      { accountId: walletAccounts(grant.beneficiaryId).available, amount },
    ],
  };
}

function cloneAccounts(accounts: LockedAccounts): LockedAccounts {
  return new Map([...accounts].map(([id, a]) => [id, { ...a }]));
}

/** When a grant counts as earned (caps, windows): the earning event's time, or now. */
const earnedAt = (command: GrantCommand): string => command.earnedAt ?? new Date().toISOString();

/** Earned after the source's window closed (e.g. an invoice paid more than N days after the referral qualified). */
function outsideEarningWindow(command: GrantCommand, windowDays: number | null): boolean {
  if (windowDays === null || !command.sourceStartedAt) return false;
  return new Date(earnedAt(command)).getTime() > new Date(command.sourceStartedAt).getTime() + windowDays * DAY_MS;
}

/**
 * Serializes parking a non-member's grant with settling that user's approval. Sorts before every
 * other decision lock ("reward:a..." < "reward:b/r/s..."), so approvals and grant batches take
 * them in one order.
 */
const awaitingLockKey = (userId: string): string => `reward:awaiting:${userId.toLowerCase()}`;
