import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A talent's hourly rate in its currency's ISO 4217 minor unit (issue 10): NUMERIC(12,2) could
 * not hold a 3-decimal currency's rate (KWD 12.125) and padded a 0-decimal one (JPY 1500.00).
 *
 * hourly_rate becomes NUMERIC without a scale, so it keeps the scale parseMoney wrote it with,
 * held by a CHECK to 3 significant decimals (the most of any currency parseCurrency accepts) and
 * to the 12 integer digits parseMoney allows. `rate_f` is generated from it, and PostgreSQL cannot
 * change the type of a column a generated column reads: it is dropped and generated again.
 * (jobs' budgets here, budget_min / budget_max, are NUMERIC without a scale already.)
 */
export class CurrencyMinorUnits1736100000000 implements MigrationInterface {
  name = 'CurrencyMinorUnits1736100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE talent_profiles DROP COLUMN rate_f`);
    await q.query(`ALTER TABLE talent_profiles ALTER COLUMN hourly_rate TYPE numeric`);
    await q.query(
      `ALTER TABLE talent_profiles ADD CONSTRAINT talent_profiles_hourly_rate_minor_units CHECK (scale(trim_scale(hourly_rate)) <= 3 AND hourly_rate < 1e12)`,
    );
    await q.query(`ALTER TABLE talent_profiles ADD COLUMN rate_f float8 GENERATED ALWAYS AS (hourly_rate::float8) STORED`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Going back to NUMERIC(12,2) would round 3-decimal rates silently: refuse instead.
    const rows: Array<{ count: string }> = await q.query(
      `SELECT count(*)::text AS count FROM talent_profiles WHERE scale(trim_scale(hourly_rate)) > 2 OR hourly_rate >= 1e10`,
    );
    if (rows[0].count !== '0') throw new Error(`talent_profiles holds ${rows[0].count} hourly rates NUMERIC(12,2) cannot store`);
    await q.query(`ALTER TABLE talent_profiles DROP COLUMN rate_f`);
    await q.query(`ALTER TABLE talent_profiles DROP CONSTRAINT talent_profiles_hourly_rate_minor_units`);
    await q.query(`ALTER TABLE talent_profiles ALTER COLUMN hourly_rate TYPE numeric(12, 2)`);
    await q.query(`ALTER TABLE talent_profiles ADD COLUMN rate_f float8 GENERATED ALWAYS AS (hourly_rate::float8) STORED`);
  }
}
