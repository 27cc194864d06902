import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureGovernedParametersTable } from '@talent/platform';

const PARTS = ['skills', 'rate', 'experience', 'reputation'];

/** `ranking_weights` over the given weights subquery (columns part, weight numeric(5,4)), as 1736300000000 defined it. */
const rankingWeightsView = (weights: string) => {
  const part = (name: string) => `(CASE WHEN t.total = 0 THEN 0.25 ELSE t.${name} / t.total END)::float8 AS ${name}`;
  const raw = (name: string) => `coalesce(max(weight) FILTER (WHERE part = '${name}'), 0) AS ${name}`;
  return `CREATE OR REPLACE VIEW ranking_weights AS
    SELECT ${PARTS.map(part).join(', ')}
      FROM (SELECT ${PARTS.map(raw).join(', ')}, coalesce(sum(weight), 0) AS total FROM (${weights}) w) t`;
};

/**
 * The governed weights move to the shared projection's table (libs/platform GovernedParameters),
 * keyed `matching.weights.<part>`, with the time each took effect; `ranking_weights` reads them
 * there, at the same numeric(5,4) scale as before, so rankings score exactly as they did.
 */
export class GovernedParameters1737200000000 implements MigrationInterface {
  name = 'GovernedParameters1737200000000';

  async up(q: QueryRunner): Promise<void> {
    await ensureGovernedParametersTable(q, {
      checks: {
        governed_parameters_weight_check: `key IN (${PARTS.map((p) => `'matching.weights.${p}'`).join(', ')})
          AND CASE WHEN value ~ '^(0|1)(\\.\\d{1,4})?$' THEN value::numeric <= 1 ELSE false END`,
      },
    });
    await q.query(`
      INSERT INTO governed_parameters (key, value, effective_at, proposal_id)
      SELECT 'matching.weights.' || part, trim_scale(weight)::text, effective_at, proposal_id FROM governed_weights
      ON CONFLICT (key) DO NOTHING`);
    await q.query(rankingWeightsView(`SELECT substr(key, length('matching.weights.') + 1) AS part, value::numeric(5, 4) AS weight FROM governed_parameters`));
    await q.query(`DROP TABLE governed_weights`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE governed_weights (
        part text PRIMARY KEY CHECK (part IN ('skills', 'rate', 'experience', 'reputation')),
        weight numeric(5, 4) NOT NULL CHECK (weight BETWEEN 0 AND 1),
        effective_at timestamptz NOT NULL DEFAULT '-infinity',
        proposal_id uuid
      )`);
    await q.query(`
      INSERT INTO governed_weights (part, weight, effective_at, proposal_id)
      SELECT substr(key, length('matching.weights.') + 1), value::numeric, effective_at, proposal_id FROM governed_parameters`);
    await q.query(rankingWeightsView(`SELECT part, weight FROM governed_weights`));
    await q.query(`DROP TABLE governed_parameters`);
  }
}
