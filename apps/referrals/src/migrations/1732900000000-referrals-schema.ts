import type { MigrationInterface, QueryRunner } from 'typeorm';

const STATUSES = `('SIGNED_UP', 'QUALIFIED', 'REWARDED', 'INVALID')`;
const REASONS = `('SELF_REFERRAL', 'REFERRAL_RING', 'ALREADY_REWARDED', 'DAILY_CAP', 'NOT_A_MEMBER')`;

/** Columns every referral (signup or job) carries for its lifecycle, with the checks that keep them consistent. */
const LIFECYCLE = `
        status text NOT NULL CHECK (status IN ${STATUSES}),
        invalid_reason text CHECK (invalid_reason IN ${REASONS}),
        reward_amount numeric CHECK (reward_amount >= 0),
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'INVALID') = (invalid_reason IS NOT NULL)),
        CHECK ((status = 'REWARDED') = (reward_amount IS NOT NULL))`;

export class ReferralsSchema1732900000000 implements MigrationInterface {
  name = 'ReferralsSchema1732900000000';

  async up(q: QueryRunner): Promise<void> {
    // Projections of other services' events: referrals never reads their databases.
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY,
        roles text[] NOT NULL,
        registered_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CHECK (roles <@ ARRAY['TALENT', 'CLIENT', 'CONNECTOR', 'INSPECTOR', 'ADMIN']::text[])
      )`);
    await q.query(`
      CREATE TABLE members (
        user_id uuid PRIMARY KEY,
        kyc_case_id uuid NOT NULL,
        approved_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('OPEN', 'CLOSED', 'FILLED')),
        posted_at timestamptz,
        closed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'OPEN') = (closed_at IS NULL))
      )`);

    // One code per member (the primary key), each code names one member (unique index).
    await q.query(`
      CREATE TABLE referral_codes (
        user_id uuid PRIMARY KEY,
        code text NOT NULL CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{8}$'),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX referral_codes_code_key ON referral_codes (code)`);

    // Signup referrals: at most one per referred user. A self-referral is only ever stored as INVALID.
    await q.query(`
      CREATE TABLE referrals (
        id uuid PRIMARY KEY,
        connector_id uuid NOT NULL,
        referred_user_id uuid NOT NULL,
        kind text NOT NULL CHECK (kind IN ('TALENT', 'CLIENT')),
        code text NOT NULL,${LIFECYCLE},
        CHECK (connector_id <> referred_user_id OR status = 'INVALID')
      )`);
    await q.query(`CREATE UNIQUE INDEX referrals_referred_user_key ON referrals (referred_user_id)`);
    await q.query(`CREATE INDEX referrals_connector_idx ON referrals (connector_id, created_at DESC)`);

    // Job referrals: one per job and talent, whoever the connector; never to oneself (refused, not stored).
    await q.query(`
      CREATE TABLE job_referrals (
        id uuid PRIMARY KEY,
        job_id uuid NOT NULL,
        connector_id uuid NOT NULL,
        talent_id uuid NOT NULL,
        note text CHECK (char_length(note) <= 1000),${LIFECYCLE},
        CHECK (connector_id <> talent_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX job_referrals_job_talent_key ON job_referrals (job_id, talent_id)`);
    await q.query(`CREATE INDEX job_referrals_connector_idx ON job_referrals (connector_id, created_at DESC)`);
    await q.query(`CREATE INDEX job_referrals_talent_idx ON job_referrals (talent_id)`);

    // Contracts already considered for qualification: a contract is settled once, whatever the event id.
    await q.query(`
      CREATE TABLE contracts (
        contract_id uuid PRIMARY KEY,
        job_id uuid NOT NULL,
        client_id uuid NOT NULL,
        talent_id uuid NOT NULL,
        client_first_hire boolean NOT NULL,
        started_at timestamptz NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Every qualification that may pay: a referral qualifies once (primary key), a referred user pays
    // once per kind, and one connector is paid per contract side.
    await q.query(`
      CREATE TABLE qualifications (
        referral_id uuid PRIMARY KEY,
        referral_type text NOT NULL CHECK (referral_type IN ('SIGNUP', 'JOB')),
        kind text NOT NULL CHECK (kind IN ('TALENT', 'CLIENT')),
        connector_id uuid NOT NULL,
        referred_user_id uuid NOT NULL,
        contract_id uuid NOT NULL REFERENCES contracts (contract_id),
        contract_value numeric NOT NULL CHECK (contract_value >= 0),
        currency char(3) NOT NULL,
        contract_started_at timestamptz NOT NULL,
        qualified_at timestamptz NOT NULL DEFAULT now(),
        CHECK (connector_id <> referred_user_id)
      )`);
    await q.query(`CREATE UNIQUE INDEX qualifications_referred_user_kind_key ON qualifications (referred_user_id, kind)`);
    await q.query(`CREATE UNIQUE INDEX qualifications_contract_kind_key ON qualifications (contract_id, kind)`);
    await q.query(`CREATE INDEX qualifications_connector_day_idx ON qualifications (connector_id, contract_started_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['qualifications', 'contracts', 'job_referrals', 'referrals', 'referral_codes', 'jobs', 'members', 'users']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
