import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * USD per unit of each currency payments converts paid invoices at. InvoicePaid carries the
 * subtotal in USD at this table's rate, so every service that pays on paid value (rewards)
 * uses one rate, payments', never a guess of its own. USD is 1; other rows come from
 * USD_RATES at start (later an FX adapter). A currency without a row has no USD value (null).
 */
export class UsdRates1735200000000 implements MigrationInterface {
  name = 'UsdRates1735200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE usd_rates (
        currency char(3) PRIMARY KEY CHECK (currency ~ '^[A-Z]{3}$'),
        usd_per_unit numeric(20, 10) NOT NULL CHECK (usd_per_unit > 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (currency <> 'USD' OR usd_per_unit = 1)
      )`);
    await q.query(`INSERT INTO usd_rates (currency, usd_per_unit) VALUES ('USD', 1)`);
    await q.query(`ALTER TABLE invoices ADD COLUMN subtotal_usd numeric(20, 2), ADD COLUMN usd_rate numeric(20, 10)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE invoices DROP COLUMN usd_rate, DROP COLUMN subtotal_usd');
    await q.query('DROP TABLE usd_rates');
  }
}
