import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InvoicePaid, PayloadOf, RatingSubmitted, ReferralQualified } from '@talent/events';
import { activeTraceparent, deferUntilCommit } from '@talent/platform';
import { GrantsService } from '../grants/grants.service';
import { PolicyKeys } from '../policies/policies.service';

/** Where an event that feeds contract earnings came from (for the grants it settles). */
export interface EarningEvent {
  eventId: string;
  traceparent?: string;
}

const referralPolicy = (kind: 'TALENT' | 'CLIENT') => (kind === 'CLIENT' ? PolicyKeys.connectorClientReferral : PolicyKeys.connectorReferral);

/**
 * Use case: what a contract earns is paid on what its client actually paid, never on a value
 * declared at hire (ARCHITECTURE.md, "Rewards are earned on paid value").
 *
 * Three facts, each from its owner's event, are recorded per contract:
 * - a qualified referral (referrals' ReferralQualified): its connector earns the policy rate x
 *   each paid invoice's subtotal in USD, one grant per invoice (reference = invoice id,
 *   source = referral id), within the policy's earning window and caps;
 * - a paid invoice (payments' InvoicePaid), with its subtotal in USD at payments' rate table;
 * - a 5-star rating (jobs' RatingSubmitted): the rated party earns `rating.five_star` once per
 *   contract and side (reference = contract id), when the contract's paid invoices reach the
 *   policy's minimum.
 * These events travel on three topics in no particular order, so whichever arrives last settles
 * what the facts now allow. Facts are recorded, and their contracts settled, just before the
 * transaction commits, for all the events of a consumed batch at once (a few statements in
 * all): the contracts are locked first (in one order), so two replicas applying a referral and
 * an invoice of one contract at once see each other's fact. Grants are idempotent on (policy,
 * reference, beneficiary), so settling again pays nothing twice.
 */
@Injectable()
export class ContractEarnings {
  constructor(private readonly grants: GrantsService) {}

  recordReferral(tx: EntityManager, referral: PayloadOf<typeof ReferralQualified>, origin: EarningEvent): void {
    this.pending(tx, { kind: 'referral', contractId: referral.contractId, referral, origin });
  }

  recordPaidInvoice(tx: EntityManager, invoice: PayloadOf<typeof InvoicePaid>, origin: EarningEvent): void {
    this.pending(tx, { kind: 'invoice', contractId: invoice.contractId, invoice, origin });
  }

  /** Only 5 stars earn anything; other ratings are not recorded here. */
  recordRating(tx: EntityManager, rating: PayloadOf<typeof RatingSubmitted>, origin: EarningEvent): void {
    if (rating.stars !== 5) return;
    this.pending(tx, { kind: 'rating', contractId: rating.contractId, rating, origin });
  }

  private pending(tx: EntityManager, fact: Fact): void {
    const data = tx.queryRunner?.data as Record<string, Fact[] | undefined> | undefined;
    if (!data || !tx.queryRunner?.isTransactionActive) throw new Error('contract earnings are recorded inside a transaction');
    // Settled at commit, outside the event's span: its grants' events keep it as their parent.
    (data[PENDING] ??= []).push({ ...fact, origin: { ...fact.origin, traceparent: activeTraceparent() ?? fact.origin.traceparent } });
    deferUntilCommit(tx, PENDING, (m) => this.settlePending(m));
  }

  private async settlePending(tx: EntityManager): Promise<void> {
    const data = tx.queryRunner!.data as Record<string, Fact[] | undefined>;
    const facts = data[PENDING] ?? [];
    delete data[PENDING];
    if (facts.length === 0) return;
    // The contracts in the order their facts came; each settled for the last event that touched it.
    const origins = new Map<string, EarningEvent>();
    for (const fact of facts) {
      const contractId = fact.contractId.toLowerCase();
      origins.delete(contractId);
      origins.set(contractId, fact.origin);
    }
    const contracts = [...origins.keys()];
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended('earnings:' || c, 0)) FROM unnest($1::text[]) AS c`, [[...contracts].sort()]);
    await this.recordFacts(tx, facts);
    const referrals = groupBy(await this.pendingReferralEarnings(tx, contracts), (r) => r.contract_id);
    const ratings = groupBy(await this.pendingFiveStarRatings(tx, contracts), (r) => r.contract_id);
    for (const [contractId, origin] of origins) {
      for (const pair of referrals.get(contractId) ?? []) {
        this.grants.enqueue(tx, {
          policyKey: referralPolicy(pair.kind),
          reference: pair.invoice_id,
          beneficiaryId: pair.connector_id,
          // USD at payments' rate when it had one; otherwise the invoice's own currency, which
          // rewards converts through its fx_rates or refuses (NO_FX_RATE), never guessing.
          basis: pair.subtotal_usd !== null ? { amount: pair.subtotal_usd, currency: 'USD' } : { amount: pair.subtotal, currency: pair.currency },
          sourceId: pair.referral_id,
          sourceStartedAt: pair.qualified_at.toISOString(),
          earnedAt: pair.paid_at.toISOString(),
          eventId: origin.eventId,
          traceparent: origin.traceparent,
        });
      }
      for (const rating of ratings.get(contractId) ?? []) {
        this.grants.enqueue(tx, {
          policyKey: PolicyKeys.fiveStarRating,
          reference: contractId,
          beneficiaryId: rating.ratee_id,
          earnedAt: rating.submitted_at.toISOString(),
          eventId: origin.eventId,
          traceparent: origin.traceparent,
        });
      }
    }
  }

  /** The facts, one statement per kind. */
  private async recordFacts(tx: EntityManager, facts: Fact[]): Promise<void> {
    const referrals = facts.flatMap((f) => (f.kind === 'referral' ? [f.referral] : []));
    const invoices = facts.flatMap((f) => (f.kind === 'invoice' ? [f.invoice] : []));
    const ratings = facts.flatMap((f) => (f.kind === 'rating' ? [f.rating] : []));
    if (referrals.length) {
      await tx.query(
        `INSERT INTO referral_sources (referral_id, kind, connector_id, referred_user_id, contract_id, qualified_at)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::uuid[], $6::timestamptz[]) ON CONFLICT (referral_id) DO NOTHING`,
        [
          referrals.map((r) => r.referralId),
          referrals.map((r) => r.kind),
          referrals.map((r) => r.connectorId),
          referrals.map((r) => r.referredUserId),
          referrals.map((r) => r.contractId),
          referrals.map((r) => r.qualifiedAt),
        ],
      );
    }
    if (invoices.length) {
      await tx.query(
        `INSERT INTO paid_invoices (invoice_id, contract_id, subtotal, currency, subtotal_usd, paid_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::numeric[], $4::text[], $5::numeric[], $6::timestamptz[]) ON CONFLICT (invoice_id) DO NOTHING`,
        [
          invoices.map((i) => i.invoiceId),
          invoices.map((i) => i.contractId),
          invoices.map((i) => i.subtotal.amount),
          invoices.map((i) => i.subtotal.currency),
          invoices.map((i) => i.subtotalUsd?.amount ?? null),
          invoices.map((i) => i.paidAt),
        ],
      );
    }
    if (ratings.length) {
      await tx.query(
        `INSERT INTO five_star_ratings (rating_id, contract_id, ratee_id, ratee_role, submitted_at)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[]) ON CONFLICT (rating_id) DO NOTHING`,
        [
          ratings.map((r) => r.ratingId),
          ratings.map((r) => r.contractId),
          ratings.map((r) => r.rateeId),
          ratings.map((r) => r.rateeRole),
          ratings.map((r) => r.submittedAt),
        ],
      );
    }
  }

  /**
   * Every (referral, paid invoice) pair of the contracts that has no decision yet. "No decision" is
   * a scalar subquery (one probe of the grants' unique index per pair), not NOT EXISTS, which the
   * planner may turn into a scan of all reward_grants when the table has no statistics yet.
   */
  private pendingReferralEarnings(tx: EntityManager, contracts: string[]): Promise<PendingReferralEarning[]> {
    return tx.query(
      `SELECT r.contract_id::text AS contract_id, r.referral_id, r.kind, r.connector_id, r.qualified_at, i.invoice_id, i.subtotal::text AS subtotal, i.currency,
              i.subtotal_usd::text AS subtotal_usd, i.paid_at
         FROM unnest($1::uuid[]) AS c(contract_id)
         JOIN referral_sources r ON r.contract_id = c.contract_id
         JOIN paid_invoices i ON i.contract_id = c.contract_id
        WHERE (SELECT true FROM reward_grants g
                WHERE g.policy_key = CASE r.kind WHEN 'CLIENT' THEN $2 ELSE $3 END
                  AND g.reference = i.invoice_id::text AND g.beneficiary_id = r.connector_id LIMIT 1) IS NULL
        ORDER BY i.paid_at, i.invoice_id, r.referral_id`,
      [contracts, PolicyKeys.connectorClientReferral, PolicyKeys.connectorReferral],
    );
  }

  /** The contracts' 5-star ratings not yet decided, of the contracts whose paid value reached the policy's minimum. */
  private pendingFiveStarRatings(tx: EntityManager, contracts: string[]): Promise<Array<{ contract_id: string; ratee_id: string; submitted_at: Date }>> {
    return tx.query(
      `SELECT f.contract_id::text AS contract_id, f.ratee_id, f.submitted_at
         FROM unnest($1::uuid[]) AS c(contract_id)
         JOIN five_star_ratings f ON f.contract_id = c.contract_id
         JOIN reward_policies p ON p.key = $2
        WHERE (SELECT true FROM reward_grants g WHERE g.policy_key = $2 AND g.reference = f.contract_id::text AND g.beneficiary_id = f.ratee_id LIMIT 1) IS NULL
          AND (p.min_paid_usd IS NULL
               OR (SELECT COALESCE(sum(i.subtotal_usd), 0) FROM paid_invoices i WHERE i.contract_id = f.contract_id) >= p.min_paid_usd)
        ORDER BY f.submitted_at, f.rating_id`,
      [contracts, PolicyKeys.fiveStarRating],
    );
  }
}

type Fact = { contractId: string; origin: EarningEvent } & (
  | { kind: 'referral'; referral: PayloadOf<typeof ReferralQualified> }
  | { kind: 'invoice'; invoice: PayloadOf<typeof InvoicePaid> }
  | { kind: 'rating'; rating: PayloadOf<typeof RatingSubmitted> }
);

interface PendingReferralEarning {
  contract_id: string;
  referral_id: string;
  kind: 'TALENT' | 'CLIENT';
  connector_id: string;
  qualified_at: Date;
  invoice_id: string;
  subtotal: string;
  currency: string;
  subtotal_usd: string | null;
  paid_at: Date;
}

const PENDING = 'rewards:pendingEarnings';

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k)!.push(row);
  }
  return groups;
}
