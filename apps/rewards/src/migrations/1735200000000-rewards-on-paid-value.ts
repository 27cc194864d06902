import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rewards are earned on paid value ("Rewards are earned on paid value", ARCHITECTURE.md).
 *
 * - Caps and earning rules become policy data (governance changes them, never code):
 *   `cap_per_grant`, `cap_per_beneficiary_day`, `cap_per_beneficiary_month`, `cap_per_source`
 *   (BTRST), `earning_window_days` (from the source's start, e.g. a referral's qualification),
 *   `min_paid_usd` (paid invoices a contract must reach), `once_per_reference` (one beneficiary
 *   ever per reference: screening pays for the first decision on a talent only).
 * - A grant records its source (e.g. the referral whose per-invoice earnings it is) and when it
 *   was earned (caps count by the earning day and month, so a replay lands where it did).
 * - The facts rewards joins to pay on paid value, each fed by its owner's events:
 *   `referral_sources` (ReferralQualified), `paid_invoices` (InvoicePaid), `five_star_ratings`
 *   (RatingSubmitted). Whichever arrives last settles the grant; a grant is unique as before.
 */
export class RewardsOnPaidValue1735200000000 implements MigrationInterface {
  name = 'RewardsOnPaidValue1735200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE reward_policies
        ADD COLUMN cap_per_grant numeric(36, 18) CHECK (cap_per_grant > 0),
        ADD COLUMN cap_per_beneficiary_day numeric(36, 18) CHECK (cap_per_beneficiary_day > 0),
        ADD COLUMN cap_per_beneficiary_month numeric(36, 18) CHECK (cap_per_beneficiary_month > 0),
        ADD COLUMN cap_per_source numeric(36, 18) CHECK (cap_per_source > 0),
        ADD COLUMN earning_window_days integer CHECK (earning_window_days > 0),
        ADD COLUMN min_paid_usd numeric(20, 2) CHECK (min_paid_usd >= 0),
        ADD COLUMN once_per_reference boolean NOT NULL DEFAULT false`);
    // Defaults until governance changes them. Each reward is worth less than the 10% fee a
    // colluding pair pays to earn it at any BTRST price below 2 USD (see apps/rewards/README.md).
    await q.query(`
      UPDATE reward_policies SET description = 'Paid to the inspector for the first screening decision on a talent, approved or rejected.',
             cap_per_beneficiary_day = 250, once_per_reference = true, updated_at = now()
       WHERE key = 'talent.screened'`);
    await q.query(`
      UPDATE reward_policies SET description = 'Paid to each rated party of a contract rated 5 stars, once per contract and side, when its paid invoices reach the minimum.',
             min_paid_usd = 400, cap_per_beneficiary_day = 50, cap_per_beneficiary_month = 300, updated_at = now()
       WHERE key = 'rating.five_star'`);
    await q.query(`
      UPDATE reward_policies SET description = 'Paid to the connector as the referred talent''s invoices are paid: BTRST per USD of paid subtotal, within the earning window.',
             cap_per_grant = 5000, cap_per_source = 25000, cap_per_beneficiary_month = 50000, earning_window_days = 365, updated_at = now()
       WHERE key = 'connector.referral'`);
    await q.query(`
      UPDATE reward_policies SET description = 'Paid to the connector as the referred client''s invoices are paid: BTRST per USD of paid subtotal, within the earning window.',
             cap_per_grant = 2000, cap_per_source = 10000, cap_per_beneficiary_month = 20000, earning_window_days = 365, updated_at = now()
       WHERE key = 'connector.client_referral'`);

    await q.query(`
      ALTER TABLE reward_grants
        ADD COLUMN source_id text,
        ADD COLUMN earned_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(`ALTER TABLE reward_grants DROP CONSTRAINT reward_grants_refusal_reason_check`);
    await q.query(`
      ALTER TABLE reward_grants ADD CONSTRAINT reward_grants_refusal_reason_check CHECK (refusal_reason IN (
        'NOT_A_MEMBER', 'POOL_EXHAUSTED', 'NO_FX_RATE', 'POLICY_INACTIVE', 'INVALID_AMOUNT',
        'ALREADY_REWARDED', 'OUTSIDE_EARNING_WINDOW', 'GRANT_CAP', 'DAILY_CAP', 'MONTHLY_CAP', 'SOURCE_CAP'))`);
    // Cap sums: a beneficiary's paid grants of a policy by earning time, and a source's paid grants.
    await q.query(`CREATE INDEX reward_grants_caps_idx ON reward_grants (policy_key, beneficiary_id, earned_at) WHERE status = 'PAID'`);
    await q.query(`CREATE INDEX reward_grants_source_idx ON reward_grants (policy_key, source_id) WHERE source_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE referral_sources (
        referral_id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('TALENT', 'CLIENT')),
        connector_id uuid NOT NULL,
        referred_user_id uuid NOT NULL,
        contract_id uuid NOT NULL,
        qualified_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX referral_sources_contract_idx ON referral_sources (contract_id)`);

    await q.query(`
      CREATE TABLE paid_invoices (
        invoice_id uuid PRIMARY KEY,
        contract_id uuid NOT NULL,
        subtotal numeric(20, 2) NOT NULL,
        currency char(3) NOT NULL,
        subtotal_usd numeric(20, 2),
        paid_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX paid_invoices_contract_idx ON paid_invoices (contract_id)`);

    await q.query(`
      CREATE TABLE five_star_ratings (
        rating_id uuid PRIMARY KEY,
        contract_id uuid NOT NULL,
        ratee_id uuid NOT NULL,
        ratee_role text NOT NULL CHECK (ratee_role IN ('TALENT', 'CLIENT')),
        submitted_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX five_star_ratings_contract_idx ON five_star_ratings (contract_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE five_star_ratings');
    await q.query('DROP TABLE paid_invoices');
    await q.query('DROP TABLE referral_sources');
    await q.query('DROP INDEX reward_grants_source_idx');
    await q.query('DROP INDEX reward_grants_caps_idx');
    await q.query(`ALTER TABLE reward_grants DROP CONSTRAINT reward_grants_refusal_reason_check`);
    await q.query(
      `DELETE FROM reward_grants WHERE refusal_reason NOT IN ('NOT_A_MEMBER', 'POOL_EXHAUSTED', 'NO_FX_RATE', 'POLICY_INACTIVE', 'INVALID_AMOUNT')`,
    );
    await q.query(`
      ALTER TABLE reward_grants ADD CONSTRAINT reward_grants_refusal_reason_check
        CHECK (refusal_reason IN ('NOT_A_MEMBER', 'POOL_EXHAUSTED', 'NO_FX_RATE', 'POLICY_INACTIVE', 'INVALID_AMOUNT'))`);
    await q.query('ALTER TABLE reward_grants DROP COLUMN earned_at, DROP COLUMN source_id');
    await q.query(`
      ALTER TABLE reward_policies DROP COLUMN once_per_reference, DROP COLUMN min_paid_usd, DROP COLUMN earning_window_days,
        DROP COLUMN cap_per_source, DROP COLUMN cap_per_beneficiary_month, DROP COLUMN cap_per_beneficiary_day, DROP COLUMN cap_per_grant`);
  }
}
