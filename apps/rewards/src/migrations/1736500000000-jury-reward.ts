import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The `jury.reward` policy (issue 11): a fixed amount paid from the community pool to each
 * juror who voted with the majority of a resolved dispute (governance's DisputeResolved),
 * once per (dispute, juror). Capped per beneficiary per UTC day and month like the other
 * fixed-amount policies, so that an account sitting on many juries cannot drain the pool.
 * The amount matches governance's GOVERNANCE_JURY_REWARD default (20); governance changes it
 * with a PARAMETER_CHANGE of `jury.reward`.
 */
export class JuryReward1736500000000 implements MigrationInterface {
  name = 'JuryReward1736500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      INSERT INTO reward_policies (key, description, amount, cap_per_beneficiary_day, cap_per_beneficiary_month)
      VALUES ('jury.reward', 'Paid to each juror who voted with the majority of a resolved dispute, once per dispute.', 20, 100, 400)
      ON CONFLICT (key) DO NOTHING`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails (foreign key) once a jury reward was granted: grants keep their policy.
    await q.query(`DELETE FROM reward_policies WHERE key = 'jury.reward'`);
  }
}
