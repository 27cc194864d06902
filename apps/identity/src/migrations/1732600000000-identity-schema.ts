import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IdentitySchema1732600000000 implements MigrationInterface {
  name = 'IdentitySchema1732600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        password_hash text NOT NULL,
        display_name text NOT NULL,
        roles text[] NOT NULL,
        kyc_status text NOT NULL DEFAULT 'NOT_STARTED'
          CHECK (kyc_status IN ('NOT_STARTED', 'PENDING', 'APPROVED', 'REJECTED')),
        screening_status text NOT NULL DEFAULT 'NOT_SCREENED'
          CHECK (screening_status IN ('NOT_SCREENED', 'APPROVED', 'REJECTED')),
        referral_code text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (email = lower(email)),
        CHECK (roles <@ ARRAY['TALENT', 'CLIENT', 'CONNECTOR', 'INSPECTOR', 'ADMIN']::text[])
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY,
        family_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        secret_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        revoked_at timestamptz
      )`);
    await q.query(`CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at)`);

    await q.query(`
      CREATE TABLE kyc_cases (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users (id),
        status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
        country char(2) NOT NULL,
        document_type text NOT NULL CHECK (document_type IN ('PASSPORT', 'ID_CARD', 'DRIVERS_LICENSE')),
        legal_name_enc text NOT NULL,
        document_number_enc text NOT NULL,
        document_number_last4 text NOT NULL,
        date_of_birth_enc text NOT NULL,
        submitted_at timestamptz NOT NULL DEFAULT now(),
        reviewed_by uuid REFERENCES users (id),
        reviewed_at timestamptz,
        reason text,
        CHECK ((status = 'PENDING') = (reviewed_at IS NULL))
      )`);
    // At most one open case per user; the queue reads open cases oldest first.
    await q.query(`CREATE UNIQUE INDEX kyc_cases_one_pending_per_user ON kyc_cases (user_id) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX kyc_cases_queue_idx ON kyc_cases (submitted_at, id) WHERE status = 'PENDING'`);
    await q.query(`CREATE INDEX kyc_cases_user_idx ON kyc_cases (user_id, submitted_at DESC)`);

    await q.query(`
      CREATE TABLE talent_screenings (
        id uuid PRIMARY KEY,
        talent_id uuid NOT NULL REFERENCES users (id),
        inspector_id uuid NOT NULL REFERENCES users (id),
        decision text NOT NULL CHECK (decision IN ('APPROVED', 'REJECTED')),
        notes text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (talent_id <> inspector_id)
      )`);
    await q.query(`CREATE INDEX talent_screenings_talent_idx ON talent_screenings (talent_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        created_by uuid NOT NULL REFERENCES users (id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE organization_members (
        organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id),
        role text NOT NULL CHECK (role IN ('OWNER', 'MEMBER')),
        joined_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, user_id)
      )`);
    await q.query(`CREATE INDEX organization_members_user_idx ON organization_members (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['organization_members', 'organizations', 'talent_screenings', 'kyc_cases', 'refresh_tokens', 'users']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
