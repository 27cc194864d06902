import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The matching score's weights become governed parameters (`matching.weights.*`, changed by
 * governance's ParameterChanged): `governed_weights` holds the value in force per part and when
 * it took effect (a change applies only when newer), seeded with the former constants.
 *
 * `ranking_weights` is what every ranking reads: the weights divided by their sum (in NUMERIC,
 * then float8), so the score stays 0..1 whatever governance sets, and the defaults (sum 1) read
 * back as exactly the former constants. All weights 0: every part weighs the same.
 */
export class GovernedWeights1736300000000 implements MigrationInterface {
  name = 'GovernedWeights1736300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE governed_weights (
        part text PRIMARY KEY CHECK (part IN ('skills', 'rate', 'experience', 'reputation')),
        weight numeric(5, 4) NOT NULL CHECK (weight BETWEEN 0 AND 1),
        effective_at timestamptz NOT NULL DEFAULT '-infinity',
        proposal_id uuid
      )`);
    await q.query(`INSERT INTO governed_weights (part, weight) VALUES ('skills', 0.5), ('rate', 0.2), ('experience', 0.15), ('reputation', 0.15)`);
    const part = (name: string) => `(CASE WHEN t.total = 0 THEN 0.25 ELSE t.${name} / t.total END)::float8 AS ${name}`;
    const raw = (name: string) => `coalesce(max(weight) FILTER (WHERE part = '${name}'), 0) AS ${name}`;
    const parts = ['skills', 'rate', 'experience', 'reputation'];
    await q.query(`
      CREATE VIEW ranking_weights AS
        SELECT ${parts.map(part).join(', ')}
          FROM (SELECT ${parts.map(raw).join(', ')}, coalesce(sum(weight), 0) AS total FROM governed_weights) t`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW ranking_weights');
    await q.query('DROP TABLE governed_weights');
  }
}
