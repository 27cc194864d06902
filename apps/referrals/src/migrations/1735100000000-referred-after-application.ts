import type { MigrationInterface, QueryRunner } from 'typeorm';

const REASONS = `('SELF_REFERRAL', 'REFERRAL_RING', 'ALREADY_REWARDED', 'DAILY_CAP', 'NOT_A_MEMBER', 'REFERRED_AFTER_APPLICATION')`;
const PREVIOUS_REASONS = `('SELF_REFERRAL', 'REFERRAL_RING', 'ALREADY_REWARDED', 'DAILY_CAP', 'NOT_A_MEMBER')`;
/** The column checks of invalid_reason, as PostgreSQL named them in 1732900000000-referrals-schema. */
const TABLES = ['referrals', 'job_referrals'];

/**
 * A job referral counts only if it was made before the talent applied:
 * - the REFERRED_AFTER_APPLICATION reason, on both referral tables;
 * - `applications`, projected from jobs' ApplicationSubmitted, so that referTalentToJob can refuse
 *   a referral of a talent who already applied (qualification checks again, on ContractStarted.appliedAt).
 */
export class ReferredAfterApplication1735100000000 implements MigrationInterface {
  name = 'ReferredAfterApplication1735100000000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_invalid_reason_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_invalid_reason_check CHECK (invalid_reason IN ${REASONS})`);
    }
    // One application per talent and job (jobs enforces the same); the first submission is kept.
    await q.query(`
      CREATE TABLE applications (
        job_id uuid NOT NULL,
        talent_id uuid NOT NULL,
        submitted_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (job_id, talent_id)
      )`);
  }

  /** Fails (check violation) while a referral is INVALID with REFERRED_AFTER_APPLICATION: a refusal is never undone. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE applications`);
    for (const table of TABLES) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_invalid_reason_check`);
      await q.query(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_invalid_reason_check CHECK (invalid_reason IN ${PREVIOUS_REASONS})`);
    }
  }
}
