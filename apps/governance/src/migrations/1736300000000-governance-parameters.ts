import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The governed parameters in force. Rows are seeded from the configuration at bootstrap
 * (GovernanceParameters: every key without a row, so the first run and any key added later),
 * never overwritten by a restart: from then on executed PARAMETER_CHANGE proposals own them.
 */
export class GovernanceParameters1736300000000 implements MigrationInterface {
  name = 'GovernanceParameters1736300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE governance_parameters (
        key text PRIMARY KEY CHECK (key ~ '^[a-z][A-Za-z0-9.]{0,99}$'),
        value text NOT NULL CHECK (value ~ '^\\d+(\\.\\d+)?$'),
        updated_at timestamptz NOT NULL,
        proposal_id uuid
      )`);
    await q.query(`COMMENT ON COLUMN governance_parameters.proposal_id IS 'The executed proposal that set the value; NULL for the configured default.'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE governance_parameters');
  }
}
