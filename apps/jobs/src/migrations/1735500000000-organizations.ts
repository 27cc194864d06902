import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Who belongs to which organization, projected from identity's OrganizationCreated events:
 * postJob refuses an organization the client is not a member of. Identity announces the
 * organizations that existed before (its migration of the same version), so this fills up
 * from the topic like any projection.
 */
export class Organizations1735500000000 implements MigrationInterface {
  name = 'Organizations1735500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        owner_id uuid NOT NULL,
        created_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE organization_members (
        organization_id uuid NOT NULL REFERENCES organizations (id),
        user_id uuid NOT NULL,
        role text NOT NULL CHECK (role IN ('OWNER', 'MEMBER')),
        CONSTRAINT organization_members_pkey PRIMARY KEY (organization_id, user_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE organization_members`);
    await q.query(`DROP TABLE organizations`);
  }
}
