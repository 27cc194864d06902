import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance's first slice: members (from identity's KycApproved), balance checkpoints (from
 * rewards' BalanceChanged) and the delegation history. Checkpoints and delegations are
 * append-only, so voting power can be computed at any past instant.
 */
export class GovernanceSchema1734000000000 implements MigrationInterface {
  name = 'GovernanceSchema1734000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE members (
        user_id uuid PRIMARY KEY,
        kyc_case_id uuid NOT NULL,
        approved_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);

    // One row per ledger entry that changed a wallet; "balance at T" is the latest row with changed_at <= T.
    await q.query(`
      CREATE TABLE balance_checkpoints (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL,
        balance numeric(36, 18) NOT NULL CHECK (balance >= 0),
        changed_at timestamptz NOT NULL,
        entry_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT balance_checkpoints_entry_id_key UNIQUE (entry_id)
      )`);
    await q.query(`CREATE INDEX balance_checkpoints_user_time_idx ON balance_checkpoints (user_id, changed_at DESC, id DESC)`);

    // Each row is the delegator's choice from from_time on; delegatee_id NULL means "votes with own power".
    await q.query(`
      CREATE TABLE delegations (
        id bigserial PRIMARY KEY,
        delegator_id uuid NOT NULL,
        delegatee_id uuid,
        from_time timestamptz NOT NULL,
        CHECK (delegatee_id IS NULL OR delegatee_id <> delegator_id)
      )`);
    await q.query(`CREATE INDEX delegations_delegator_time_idx ON delegations (delegator_id, from_time DESC, id DESC)`);
    await q.query(`CREATE INDEX delegations_delegatee_time_idx ON delegations (delegatee_id, from_time) WHERE delegatee_id IS NOT NULL`);

    // History is never rewritten.
    await q.query(`
      CREATE FUNCTION governance_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
      END $$`);
    for (const table of ['balance_checkpoints', 'delegations']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION governance_append_only()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delegations`);
    await q.query(`DROP TABLE balance_checkpoints`);
    await q.query(`DROP FUNCTION governance_append_only()`);
    await q.query(`DROP TABLE members`);
  }
}
