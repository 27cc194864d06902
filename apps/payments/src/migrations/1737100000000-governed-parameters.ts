import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureGovernedParametersTable } from '@talent/platform';

/**
 * `parameters` moves to the shared projection's table (libs/platform GovernedParameters): each row
 * keeps its value and, as the time it took effect, the time it was last changed.
 */
export class GovernedParameters1737100000000 implements MigrationInterface {
  name = 'GovernedParameters1737100000000';

  async up(q: QueryRunner): Promise<void> {
    await ensureGovernedParametersTable(q, {
      checks: { governed_parameters_fee_rate_check: `key <> 'platform.feeRate' OR (value ~ '^\\d+(\\.\\d{1,4})?$' AND value::numeric BETWEEN 0 AND 1)` },
    });
    await q.query(`INSERT INTO governed_parameters (key, value, effective_at) SELECT key, value, updated_at FROM parameters ON CONFLICT (key) DO NOTHING`);
    await q.query(`DROP TABLE parameters`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE parameters (
        key text PRIMARY KEY CHECK (key ~ '^[a-z][A-Za-z0-9.]{0,99}$'),
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (key <> 'platform.feeRate' OR (value ~ '^\\d+(\\.\\d{1,4})?$' AND value::numeric BETWEEN 0 AND 1))
      )`);
    await q.query(`INSERT INTO parameters (key, value, updated_at) SELECT key, value, effective_at FROM governed_parameters`);
    await q.query(`DROP TABLE governed_parameters`);
  }
}
