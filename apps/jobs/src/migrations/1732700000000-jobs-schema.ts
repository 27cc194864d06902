import type { MigrationInterface, QueryRunner } from 'typeorm';

export class JobsSchema1732700000000 implements MigrationInterface {
  name = 'JobsSchema1732700000000';

  async up(q: QueryRunner): Promise<void> {
    // Members: projected from identity's KycApproved events (never read from identity's database).
    await q.query(`
      CREATE TABLE members (
        user_id uuid PRIMARY KEY,
        country char(2) NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        kyc_case_id uuid NOT NULL,
        approved_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL REFERENCES members (user_id),
        organization_id uuid,
        title text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 140),
        description text NOT NULL CHECK (char_length(description) BETWEEN 10 AND 10000),
        skills text[] NOT NULL CHECK (cardinality(skills) BETWEEN 1 AND 20),
        min_years_experience int NOT NULL CHECK (min_years_experience BETWEEN 0 AND 50),
        countries text[] NOT NULL DEFAULT '{}'
          CHECK (array_to_string(countries, ',') ~ '^([A-Z]{2}(,[A-Z]{2})*)?$'),
        budget_min numeric(20, 2) NOT NULL CHECK (budget_min > 0),
        budget_max numeric(20, 2) NOT NULL,
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        rate_unit text NOT NULL CHECK (rate_unit IN ('HOURLY', 'FIXED')),
        hours_per_week int NOT NULL CHECK (hours_per_week BETWEEN 1 AND 80),
        duration_weeks int NOT NULL CHECK (duration_weeks BETWEEN 1 AND 104),
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED', 'FILLED')),
        search tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', description), 'B')
        ) STORED,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        closed_at timestamptz,
        CHECK (budget_max >= budget_min),
        CHECK ((status = 'OPEN') = (closed_at IS NULL))
      )`);
    // jobs(): newest first (created_at DESC, id DESC), optionally by status or client; skills
    // (jobs requiring ALL given skills: skills @> $1) and text (search @@ websearch_to_tsquery) through GIN.
    await q.query(`CREATE INDEX jobs_feed_idx ON jobs (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_status_feed_idx ON jobs (status, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_client_feed_idx ON jobs (client_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX jobs_skills_idx ON jobs USING GIN (skills)`);
    await q.query(`CREATE INDEX jobs_search_idx ON jobs USING GIN (search)`);

    await q.query(`
      CREATE TABLE applications (
        id uuid PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs (id),
        talent_id uuid NOT NULL REFERENCES members (user_id),
        cover_letter text NOT NULL CHECK (char_length(cover_letter) BETWEEN 1 AND 5000),
        proposed_rate numeric(20, 2) NOT NULL CHECK (proposed_rate > 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        stake numeric(38, 18) CHECK (stake > 0),
        status text NOT NULL
          CHECK (status IN ('PENDING_STAKE', 'SUBMITTED', 'INTERVIEWING', 'HIRED', 'DECLINED', 'WITHDRAWN', 'REJECTED')),
        resolution_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        resolved_at timestamptz,
        CHECK ((status IN ('PENDING_STAKE', 'SUBMITTED', 'INTERVIEWING')) = (resolved_at IS NULL)),
        CHECK ((resolved_at IS NULL) = (resolution_reason IS NULL)),
        CHECK (status <> 'PENDING_STAKE' OR stake IS NOT NULL)
      )`);
    // One application per talent per job (CONFLICT on a second one); also serves Job.applications and open-application lookups.
    await q.query(`CREATE UNIQUE INDEX applications_one_per_talent_per_job ON applications (job_id, talent_id)`);
    await q.query(`CREATE INDEX applications_job_idx ON applications (job_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX applications_talent_idx ON applications (talent_id, created_at DESC, id DESC)`);

    await q.query(`
      CREATE TABLE interviews (
        id uuid PRIMARY KEY,
        application_id uuid NOT NULL REFERENCES applications (id),
        outcome text NOT NULL CHECK (outcome IN ('ATTENDED', 'NO_SHOW')),
        recorded_by uuid NOT NULL REFERENCES members (user_id),
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX interviews_application_idx ON interviews (application_id, recorded_at)`);

    await q.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs (id),
        application_id uuid NOT NULL REFERENCES applications (id),
        client_id uuid NOT NULL REFERENCES members (user_id),
        talent_id uuid NOT NULL REFERENCES members (user_id),
        rate numeric(20, 2) NOT NULL CHECK (rate > 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        rate_unit text NOT NULL CHECK (rate_unit IN ('HOURLY', 'FIXED')),
        estimated_value numeric(20, 2) NOT NULL CHECK (estimated_value >= rate),
        status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'COMPLETED', 'CANCELLED')),
        started_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        CHECK ((status = 'ACTIVE') = (ended_at IS NULL)),
        CHECK (client_id <> talent_id)
      )`);
    // A job is filled by one hire; an application becomes at most one contract.
    await q.query(`CREATE UNIQUE INDEX contracts_one_per_job ON contracts (job_id)`);
    await q.query(`CREATE UNIQUE INDEX contracts_one_per_application ON contracts (application_id)`);
    // myContracts (either side, newest first), a client's first hire, and completed contracts for reputation.
    await q.query(`CREATE INDEX contracts_client_idx ON contracts (client_id, started_at DESC)`);
    await q.query(`CREATE INDEX contracts_talent_idx ON contracts (talent_id, started_at DESC)`);
    await q.query(`CREATE INDEX contracts_completed_client_idx ON contracts (client_id) WHERE status = 'COMPLETED'`);
    await q.query(`CREATE INDEX contracts_completed_talent_idx ON contracts (talent_id) WHERE status = 'COMPLETED'`);

    await q.query(`
      CREATE TABLE ratings (
        id uuid PRIMARY KEY,
        contract_id uuid NOT NULL REFERENCES contracts (id),
        rater_id uuid NOT NULL REFERENCES members (user_id),
        ratee_id uuid NOT NULL REFERENCES members (user_id),
        ratee_role text NOT NULL CHECK (ratee_role IN ('TALENT', 'CLIENT')),
        stars smallint NOT NULL CHECK (stars BETWEEN 1 AND 5),
        comment text CHECK (char_length(comment) <= 2000),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (rater_id <> ratee_id)
      )`);
    // Each side rates a contract once (CONFLICT on a second rating).
    await q.query(`CREATE UNIQUE INDEX ratings_one_per_side ON ratings (contract_id, rater_id)`);
    // Reputation: one aggregate over a user's received ratings.
    await q.query(`CREATE INDEX ratings_ratee_idx ON ratings (ratee_id) INCLUDE (stars)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['ratings', 'contracts', 'interviews', 'applications', 'jobs', 'members']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
