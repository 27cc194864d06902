import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grants earned by a user whose KycApproved rewards has not seen yet. Events of different
 * users travel on different partitions, so an approval can arrive after work its member did;
 * such a grant waits here instead of being refused, and is settled when the approval arrives.
 */
export class AwaitingMembershipGrants1733000000000 implements MigrationInterface {
  name = 'AwaitingMembershipGrants1733000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE awaiting_membership_grants (
        policy_key text NOT NULL REFERENCES reward_policies (key),
        reference text NOT NULL,
        beneficiary_id uuid NOT NULL,
        command jsonb NOT NULL,
        earned_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (policy_key, reference, beneficiary_id)
      )`);
    await q.query(`CREATE INDEX awaiting_membership_grants_beneficiary_idx ON awaiting_membership_grants (beneficiary_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE awaiting_membership_grants');
  }
}
