import type { QueryRunner } from 'typeorm';

/**
 * Migration fragment: the `governed_parameters` table, idempotently. One row per parameter key the
 * service applies (governance's ParameterChanged), with the value in force and when it took effect;
 * `seeds` (key -> value) are the values in force until governance changes them (effective at
 * -infinity unless the service moves its own rows in with their times). `checks` are the service's
 * CHECK constraints on its values (SQL boolean expressions over `key` and `value`).
 */
export async function ensureGovernedParametersTable(
  q: QueryRunner,
  options: { seeds?: Record<string, string>; checks?: Record<string, string> } = {},
): Promise<void> {
  await q.query(`
    CREATE TABLE IF NOT EXISTS governed_parameters (
      key text PRIMARY KEY CHECK (key ~ '^[a-z][A-Za-z0-9.]{0,99}$'),
      value text NOT NULL,
      effective_at timestamptz NOT NULL DEFAULT '-infinity',
      proposal_id uuid,
      recorded_at timestamptz NOT NULL DEFAULT now()
    )`);
  for (const [name, check] of Object.entries(options.checks ?? {})) {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`governed_parameters: "${name}" is not a plain constraint name`);
    await q.query(`ALTER TABLE governed_parameters DROP CONSTRAINT IF EXISTS ${name}`);
    await q.query(`ALTER TABLE governed_parameters ADD CONSTRAINT ${name} CHECK (${check})`);
  }
  for (const [key, value] of Object.entries(options.seeds ?? {})) {
    await q.query(`INSERT INTO governed_parameters (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [key, value]);
  }
}
