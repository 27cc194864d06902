import type { MigrationInterface, QueryRunner } from 'typeorm';

export class MatchingSchema1732800000000 implements MigrationInterface {
  name = 'MatchingSchema1732800000000';

  async up(q: QueryRunner): Promise<void> {
    // Eligibility as identity's events tell it (KycApproved, TalentScreened), kept per talent
    // whether or not they have a profile yet. The row is also the per-talent lock that
    // serialises profile upserts with eligibility changes.
    await q.query(`
      CREATE TABLE talent_eligibility (
        talent_id uuid PRIMARY KEY,
        member boolean NOT NULL DEFAULT false,
        member_since timestamptz,
        screening text CHECK (screening IN ('APPROVED', 'REJECTED')),
        screened_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // A talent's reputation as jobs reports it with each RatingSubmitted (rateeRole TALENT).
    await q.query(`
      CREATE TABLE talent_reputation (
        talent_id uuid PRIMARY KEY,
        average_rating float8 NOT NULL CHECK (average_rating BETWEEN 1 AND 5),
        ratings_count integer NOT NULL CHECK (ratings_count > 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // The "bid". Ranking columns come first and are fixed-width where they can be:
    // rate_f (the rate as float8) and rep_score keep NUMERIC arithmetic out of scoring.
    // eligible = member AND screened APPROVED AND open_to_work, maintained by the app.
    await q.query(`
      CREATE TABLE talent_profiles (
        user_id uuid PRIMARY KEY,
        eligible boolean NOT NULL DEFAULT false,
        currency text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        rate_f float8 GENERATED ALWAYS AS (hourly_rate::float8) STORED,
        years_experience integer NOT NULL CHECK (years_experience BETWEEN 0 AND 60),
        rep_score float8 NOT NULL DEFAULT 0.5 CHECK (rep_score BETWEEN 0 AND 1),
        country text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
        skills text[] NOT NULL CHECK (cardinality(skills) BETWEEN 1 AND 30),
        hourly_rate numeric(12, 2) NOT NULL CHECK (hourly_rate > 0),
        average_rating float8,
        ratings_count integer NOT NULL DEFAULT 0,
        hours_per_week integer NOT NULL CHECK (hours_per_week BETWEEN 1 AND 80),
        open_to_work boolean NOT NULL,
        headline text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Only eligible profiles are ever ranked: every ranking index is partial.
    await q.query(`CREATE INDEX talent_profiles_skills_gin ON talent_profiles USING gin (skills) WHERE eligible`);
    // Best reputation first within a currency: the ranking probes read candidates in this order.
    await q.query(`CREATE INDEX talent_profiles_reputation_idx ON talent_profiles (currency, rep_score DESC, user_id) WHERE eligible`);
    // Jobs restricted to a few countries combine this with the skills lookup (BitmapAnd).
    await q.query(`CREATE INDEX talent_profiles_country_idx ON talent_profiles (country) WHERE eligible`);

    // The jobs projection (JobPosted / JobClosed), with what ranking and stats need.
    await q.query(`
      CREATE TABLE jobs (
        id uuid PRIMARY KEY,
        client_id uuid NOT NULL,
        organization_id uuid,
        title text NOT NULL,
        skills text[] NOT NULL,
        countries text[] NOT NULL,
        min_years_experience integer NOT NULL,
        currency text NOT NULL,
        budget_min numeric NOT NULL,
        budget_max numeric NOT NULL,
        budget_unit text NOT NULL CHECK (budget_unit IN ('HOURLY', 'FIXED')),
        hours_per_week integer NOT NULL,
        duration_weeks integer NOT NULL,
        -- Hours the budget pays for (1 when hourly) and the highest hourly rate still considered.
        rate_factor integer NOT NULL,
        rate_cap float8 NOT NULL,
        status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED', 'FILLED')),
        posted_at timestamptz NOT NULL,
        closed_at timestamptz,
        received_at timestamptz NOT NULL DEFAULT now(),
        -- Kept with each (re)ranking: how many matches are stored, the lowest stored score,
        -- and when the job first got a match (for the matching SLA).
        match_count integer NOT NULL DEFAULT 0,
        min_match_score float8,
        first_match_at timestamptz,
        ranked_at timestamptz
      )`);
    await q.query(`CREATE INDEX jobs_open_skills_gin ON jobs USING gin (skills) WHERE status = 'OPEN'`);

    await q.query(`
      CREATE TABLE matches (
        id uuid PRIMARY KEY,
        job_id uuid NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
        talent_id uuid NOT NULL,
        score float8 NOT NULL CHECK (score BETWEEN 0 AND 1),
        rank integer NOT NULL CHECK (rank > 0),
        reasons text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT matches_job_talent_key UNIQUE (job_id, talent_id),
        -- Ranks move when a job is re-ranked: checked at commit.
        CONSTRAINT matches_job_rank_key UNIQUE (job_id, rank) DEFERRABLE INITIALLY DEFERRED
      )`);
    await q.query(`CREATE INDEX matches_talent_idx ON matches (talent_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['matches', 'jobs', 'talent_profiles', 'talent_reputation', 'talent_eligibility']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
