import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Accounts an admin disabled, and sign-in sessions with an end: a refresh token expires when
 * its session is idle too long, and no later than the session's end (carried by every token
 * of the family; null for tokens issued before, whose own expiry stands).
 */
export class SessionsAndDisabledAccounts1735400000000 implements MigrationInterface {
  name = 'SessionsAndDisabledAccounts1735400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN disabled_at timestamptz`);
    await q.query(`ALTER TABLE refresh_tokens ADD COLUMN session_expires_at timestamptz`);
    // "Revoke every session of this user" touches only the live tokens.
    await q.query(`CREATE INDEX refresh_tokens_user_live_idx ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX refresh_tokens_user_live_idx`);
    await q.query(`ALTER TABLE refresh_tokens DROP COLUMN session_expires_at`);
    await q.query(`ALTER TABLE users DROP COLUMN disabled_at`);
  }
}
