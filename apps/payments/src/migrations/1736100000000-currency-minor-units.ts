import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every amount payments keeps in the invoice's own currency (not the *_usd columns, which are USD cents). */
const AMOUNT_COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['contracts', 'rate'],
  ['invoices', 'subtotal'],
  ['invoices', 'platform_fee'],
  ['invoices', 'total'],
  ['payment_attempts', 'amount'],
  ['fee_accruals', 'amount'],
  ['provider_charges', 'amount'],
];

const constraintOf = (table: string, column: string): string => `${table}_${column}_minor_units`;

/**
 * Amounts in each currency's ISO 4217 minor unit (issue 10): NUMERIC(20,2) could not hold a
 * 3-decimal currency (KWD 12.125) and padded a 0-decimal one (JPY 1500.00).
 *
 * The columns become NUMERIC without a scale: PostgreSQL then keeps the scale each value was
 * written with, so what the code writes (formatMinor: "840.00" USD, "1500" JPY, "12.500" KWD) is
 * what it reads back and publishes. NUMERIC(21,3) would pad every USD amount to "840.000".
 *
 * The CHECK holds the value to 3 significant decimals (the most any ISO 4217 currency payments
 * accepts has; CLF and UYW, with 4, are funds codes no service accepts) and to the former 18
 * integer digits. That a JPY amount has no decimals at all is the code's guard (parseAmountIn,
 * toMinor): a per-currency CHECK would need the ISO table in SQL.
 */
export class CurrencyMinorUnits1736100000000 implements MigrationInterface {
  name = 'CurrencyMinorUnits1736100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const [table, column] of AMOUNT_COLUMNS) {
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE numeric`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${constraintOf(table, column)} CHECK (scale(trim_scale(${column})) <= 3 AND ${column} < 1e18)`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // Going back to 2 decimals would round 3-decimal amounts silently: refuse instead.
    for (const [table, column] of AMOUNT_COLUMNS) {
      const rows: Array<{ count: string }> = await q.query(`SELECT count(*)::text AS count FROM ${table} WHERE scale(trim_scale(${column})) > 2`);
      if (rows[0].count !== '0') throw new Error(`${table}.${column} holds ${rows[0].count} amounts with 3 decimals: NUMERIC(20,2) cannot store them`);
    }
    for (const [table, column] of AMOUNT_COLUMNS) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${constraintOf(table, column)}`);
      await q.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE numeric(20, 2)`);
    }
  }
}
