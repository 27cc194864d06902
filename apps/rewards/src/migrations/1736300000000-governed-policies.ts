import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The governed reward parameters rewards has applied (governance's ParameterChanged for
 * `rewards.*` and `jury.reward`), one row per key with the time it took effect: a change is
 * applied to `reward_policies` only when it is newer than the one in force, so a redelivered
 * or reordered older change never undoes a newer one. No row: the migration's default rules.
 */
export class GovernedPolicies1736300000000 implements MigrationInterface {
  name = 'GovernedPolicies1736300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE applied_parameters (
        key text PRIMARY KEY CHECK (key ~ '^[a-z][A-Za-z0-9.]{0,99}$'),
        value text NOT NULL,
        effective_at timestamptz NOT NULL,
        proposal_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE applied_parameters');
  }
}
