import type { QueryRunner } from 'typeorm';

/** An extra column of a service's `members` table: its name and its SQL type with constraints. */
export interface MemberColumnDefinition {
  name: string;
  /** e.g. `char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$')`. */
  definition: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Migration fragment: brings a service's `members` table to the one shape, idempotently. Creates it
 * when missing, adds a missing `recorded_at` or extra column, and turns `user_id`/`kyc_case_id` into
 * uuid columns lower-casing what a text column held (a uuid column already stores the canonical,
 * lower-case form). Call it from a new migration of the service; existing migrations stay as they ran.
 * An extra column added to a table that has rows needs a DEFAULT if it is NOT NULL.
 */
export async function ensureMembersTable(q: QueryRunner, extraColumns: readonly MemberColumnDefinition[] = []): Promise<void> {
  for (const { name } of extraColumns) {
    if (!IDENTIFIER.test(name)) throw new Error(`members: "${name}" is not a plain column name`);
  }
  await q.query(`
    CREATE TABLE IF NOT EXISTS members (
      user_id uuid PRIMARY KEY,
      kyc_case_id uuid NOT NULL,
      approved_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
  await q.query(`ALTER TABLE members ADD COLUMN IF NOT EXISTS recorded_at timestamptz NOT NULL DEFAULT now()`);
  for (const column of ['user_id', 'kyc_case_id']) {
    const [{ data_type }] = (await q.query(
      `SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'members' AND column_name = $1`,
      [column],
    )) as Array<{ data_type: string }>;
    if (data_type !== 'uuid') await q.query(`ALTER TABLE members ALTER COLUMN ${column} TYPE uuid USING lower(${column}::text)::uuid`);
  }
  for (const { name, definition } of extraColumns) {
    await q.query(`ALTER TABLE members ADD COLUMN IF NOT EXISTS ${name} ${definition}`);
  }
}
