import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A qualified referral is now paid per paid invoice of the contract (one RewardGranted each,
 * `sourceId` = the referral): every grant is kept here once, and the referral's `reward_amount`
 * is their running sum, so a re-published grant can never count twice.
 */
export class ReferralRewards1735200000000 implements MigrationInterface {
  name = 'ReferralRewards1735200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE referral_rewards (
        grant_id uuid PRIMARY KEY,
        referral_id uuid NOT NULL,
        amount numeric(36, 18) NOT NULL CHECK (amount > 0),
        reference text NOT NULL,
        granted_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX referral_rewards_referral_idx ON referral_rewards (referral_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE referral_rewards');
  }
}
