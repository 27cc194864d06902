import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { InvoicePaid, PayloadOf, RatingSubmitted, ReferralQualified } from '@talent/events';
import { GrantsService } from '../grants/grants.service';
import { PoliciesService, PolicyKeys } from '../policies/policies.service';

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
 * what the facts now allow. Each step takes a lock on the contract first: two replicas applying
 * a referral and an invoice of one contract at once see each other's fact. Grants are
 * idempotent on (policy, reference, beneficiary), so settling again pays nothing twice.
 */
@Injectable()
export class ContractEarnings {
  constructor(
    private readonly grants: GrantsService,
    private readonly policies: PoliciesService,
  ) {}

  async recordReferral(tx: EntityManager, referral: PayloadOf<typeof ReferralQualified>, origin: EarningEvent): Promise<void> {
    await this.lockContract(tx, referral.contractId);
    await tx.query(
      `INSERT INTO referral_sources (referral_id, kind, connector_id, referred_user_id, contract_id, qualified_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (referral_id) DO NOTHING`,
      [referral.referralId, referral.kind, referral.connectorId, referral.referredUserId, referral.contractId, referral.qualifiedAt],
    );
    await this.settle(tx, referral.contractId, origin);
  }

  async recordPaidInvoice(tx: EntityManager, invoice: PayloadOf<typeof InvoicePaid>, origin: EarningEvent): Promise<void> {
    await this.lockContract(tx, invoice.contractId);
    await tx.query(
      `INSERT INTO paid_invoices (invoice_id, contract_id, subtotal, currency, subtotal_usd, paid_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (invoice_id) DO NOTHING`,
      [invoice.invoiceId, invoice.contractId, invoice.subtotal.amount, invoice.subtotal.currency, invoice.subtotalUsd?.amount ?? null, invoice.paidAt],
    );
    await this.settle(tx, invoice.contractId, origin);
  }

  /** Only 5 stars earn anything; other ratings are not recorded here. */
  async recordRating(tx: EntityManager, rating: PayloadOf<typeof RatingSubmitted>, origin: EarningEvent): Promise<void> {
    if (rating.stars !== 5) return;
    await this.lockContract(tx, rating.contractId);
    await tx.query(
      `INSERT INTO five_star_ratings (rating_id, contract_id, ratee_id, ratee_role, submitted_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (rating_id) DO NOTHING`,
      [rating.ratingId, rating.contractId, rating.rateeId, rating.rateeRole, rating.submittedAt],
    );
    await this.settle(tx, rating.contractId, origin);
  }

  private async settle(tx: EntityManager, contractId: string, origin: EarningEvent): Promise<void> {
    await this.settleReferralEarnings(tx, contractId, origin);
    await this.settleFiveStarRatings(tx, contractId, origin);
  }

  /** Every (referral, paid invoice) pair of the contract that has no decision yet gets one. */
  private async settleReferralEarnings(tx: EntityManager, contractId: string, origin: EarningEvent): Promise<void> {
    const pending: Array<{
      referral_id: string;
      kind: 'TALENT' | 'CLIENT';
      connector_id: string;
      qualified_at: Date;
      invoice_id: string;
      subtotal: string;
      currency: string;
      subtotal_usd: string | null;
      paid_at: Date;
    }> = await tx.query(
      `SELECT r.referral_id, r.kind, r.connector_id, r.qualified_at, i.invoice_id, i.subtotal::text AS subtotal, i.currency,
              i.subtotal_usd::text AS subtotal_usd, i.paid_at
         FROM referral_sources r
         JOIN paid_invoices i ON i.contract_id = r.contract_id
        WHERE r.contract_id = $1
          AND NOT EXISTS (SELECT 1 FROM reward_grants g
                           WHERE g.policy_key = CASE r.kind WHEN 'CLIENT' THEN $2 ELSE $3 END
                             AND g.reference = i.invoice_id::text AND g.beneficiary_id = r.connector_id)
        ORDER BY i.paid_at, i.invoice_id, r.referral_id`,
      [contractId, PolicyKeys.connectorClientReferral, PolicyKeys.connectorReferral],
    );
    for (const pair of pending) {
      await this.grants.grant(tx, {
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
  }

  /** Each 5-star rating of the contract pays its ratee once the contract's paid value reaches the minimum. */
  private async settleFiveStarRatings(tx: EntityManager, contractId: string, origin: EarningEvent): Promise<void> {
    const ratings: Array<{ rating_id: string; ratee_id: string; submitted_at: Date }> = await tx.query(
      `SELECT f.rating_id, f.ratee_id, f.submitted_at
         FROM five_star_ratings f
        WHERE f.contract_id = $1
          AND NOT EXISTS (SELECT 1 FROM reward_grants g WHERE g.policy_key = $2 AND g.reference = f.contract_id::text AND g.beneficiary_id = f.ratee_id)
        ORDER BY f.submitted_at, f.rating_id`,
      [contractId, PolicyKeys.fiveStarRating],
    );
    if (ratings.length === 0) return;
    const minimum = await this.policies.minPaidUsd(tx, PolicyKeys.fiveStarRating);
    if (minimum !== null) {
      const rows: Array<{ reached: boolean }> = await tx.query(
        `SELECT COALESCE(sum(subtotal_usd), 0) >= $2::numeric AS reached FROM paid_invoices WHERE contract_id = $1`,
        [contractId, minimum],
      );
      if (!rows[0].reached) return; // not yet: a later InvoicePaid settles it
    }
    for (const rating of ratings) {
      await this.grants.grant(tx, {
        policyKey: PolicyKeys.fiveStarRating,
        reference: contractId,
        beneficiaryId: rating.ratee_id,
        earnedAt: rating.submitted_at.toISOString(),
        eventId: origin.eventId,
        traceparent: origin.traceparent,
      });
    }
  }

  private async lockContract(tx: EntityManager, contractId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`earnings:${contractId}`]);
  }
}
