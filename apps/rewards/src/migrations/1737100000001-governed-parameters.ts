import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureGovernedParametersTable } from '@talent/platform';

/** The governed parameters rewards applied move to the shared projection's table (libs/platform GovernedParameters). */
export class GovernedParameters1737100000001 implements MigrationInterface {
  name = 'GovernedParameters1737100000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE IF EXISTS applied_parameters RENAME TO governed_parameters`);
    await ensureGovernedParametersTable(q);
    await q.query(`ALTER TABLE governed_parameters ALTER COLUMN proposal_id DROP NOT NULL, ALTER COLUMN effective_at SET DEFAULT '-infinity'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE governed_parameters RENAME TO applied_parameters`);
  }
}
