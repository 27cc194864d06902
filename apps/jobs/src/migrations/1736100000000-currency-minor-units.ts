import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Every amount jobs keeps, each in its row's currency. */
const AMOUNT_COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['jobs', 'budget_min'],
  ['jobs', 'budget_max'],
  ['applications', 'proposed_rate'],
  ['contracts', 'rate'],
  ['contracts', 'estimated_value'],
];

const constraintOf = (table: string, column: string): string => `${table}_${column}_minor_units`;

/**
 * Amounts in each currency's ISO 4217 minor unit (issue 10): NUMERIC(20,2) could not hold a
 * 3-decimal currency's rate (KWD 12.125), which payments now invoices exactly.
 *
 * The columns become NUMERIC without a scale, so each value keeps the scale parseMoney wrote it
 * with ("1500" JPY, "85.50" USD, "12.125" KWD) and the events carry it as written. The CHECK holds
 * values to 3 significant decimals (the most of any currency parseCurrency accepts) and to the
 * former 18 integer digits; that a JPY amount has no decimals is the code's guard (parseMoney).
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
