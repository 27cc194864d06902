import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fee conversion (the buyback, issue 10): platform fees -> USDC -> BTRST for the DAO treasury.
 * - `fee_conversions`: one row per conversion (one currency), a persisted state machine
 *   CLAIMED -> FIAT_CONVERTED -> EXECUTED, so a crash between steps resumes from the last
 *   recorded step and never loses nor double-counts a fee;
 * - `fee_accruals.conversion_id` now names the conversion that claimed the accrual (set at
 *   CLAIMED, before `converted_at`, which is set at EXECUTED); a zero fee (fee rate 0) is marked
 *   converted without a conversion: there is nothing to buy with it;
 * - `local_fx_conversions`: the local FX adapter's own side (stands in for the exchange), one
 *   order per reference, so asking again with the same reference returns the same fill.
 */
export class FeeConversions1736200000000 implements MigrationInterface {
  name = 'FeeConversions1736200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fee_conversions (
        id uuid PRIMARY KEY,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        fees numeric NOT NULL CHECK (fees > 0 AND fees < 1e18 AND scale(trim_scale(fees)) <= 3),
        invoice_count integer NOT NULL CHECK (invoice_count > 0),
        status text NOT NULL CHECK (status IN ('CLAIMED', 'FIAT_CONVERTED', 'EXECUTED')),
        claimed_at timestamptz NOT NULL,
        usdc_amount numeric(38, 6) CHECK (usdc_amount >= 0),
        usdc_rate numeric(38, 18) CHECK (usdc_rate > 0),
        fiat_converted_at timestamptz,
        price numeric(38, 18) CHECK (price > 0),
        price_at timestamptz,
        btrst_bought numeric(36, 18) CHECK (btrst_bought >= 0),
        executed_at timestamptz,
        CHECK ((status = 'CLAIMED') = (usdc_amount IS NULL)),
        CHECK ((usdc_amount IS NULL) = (usdc_rate IS NULL) AND (usdc_amount IS NULL) = (fiat_converted_at IS NULL)),
        CHECK ((status = 'EXECUTED') = (executed_at IS NOT NULL)),
        CHECK ((executed_at IS NULL) = (price IS NULL) AND (executed_at IS NULL) = (btrst_bought IS NULL) AND (executed_at IS NULL) = (price_at IS NULL))
      )`);
    // At most one unfinished conversion per currency: a run resumes it before claiming more of that
    // currency, and two workers claiming at once cannot both open one (the second insert fails).
    await q.query(`CREATE UNIQUE INDEX fee_conversions_one_open ON fee_conversions (currency) WHERE status <> 'EXECUTED'`);
    // feeConversions(first): newest executed first.
    await q.query(`CREATE INDEX fee_conversions_executed_idx ON fee_conversions (executed_at DESC, id DESC) WHERE status = 'EXECUTED'`);

    // Claimed (conversion_id set) comes before converted (converted_at set); only a zero fee is
    // converted without a conversion, and a zero fee never joins one.
    await q.query(`ALTER TABLE fee_accruals DROP CONSTRAINT fee_accruals_check`);
    await q.query(`
      ALTER TABLE fee_accruals
        ADD CONSTRAINT fee_accruals_conversion_fk FOREIGN KEY (conversion_id) REFERENCES fee_conversions (id),
        ADD CONSTRAINT fee_accruals_converted_check CHECK (converted_at IS NULL OR conversion_id IS NOT NULL OR amount = 0),
        ADD CONSTRAINT fee_accruals_zero_check CHECK (amount > 0 OR conversion_id IS NULL)`);
    await q.query(`CREATE INDEX fee_accruals_conversion_idx ON fee_accruals (conversion_id) WHERE conversion_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE local_fx_conversions (
        reference text PRIMARY KEY,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        amount numeric NOT NULL CHECK (amount > 0 AND amount < 1e18 AND scale(trim_scale(amount)) <= 3),
        usdc_amount numeric(38, 6) NOT NULL CHECK (usdc_amount >= 0),
        rate numeric(38, 18) NOT NULL CHECK (rate > 0),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE local_fx_conversions');
    await q.query('DROP INDEX fee_accruals_conversion_idx');
    await q.query(
      'ALTER TABLE fee_accruals DROP CONSTRAINT fee_accruals_zero_check, DROP CONSTRAINT fee_accruals_converted_check, DROP CONSTRAINT fee_accruals_conversion_fk',
    );
    await q.query('UPDATE fee_accruals SET conversion_id = NULL WHERE converted_at IS NULL');
    await q.query("DELETE FROM fee_conversions WHERE status <> 'EXECUTED'");
    await q.query('ALTER TABLE fee_accruals ADD CONSTRAINT fee_accruals_check CHECK ((converted_at IS NULL) = (conversion_id IS NULL))');
    await q.query('DROP TABLE fee_conversions');
  }
}
