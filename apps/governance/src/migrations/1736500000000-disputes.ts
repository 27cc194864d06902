import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Disputes decided by token-holder juries (issue 11).
 * - `contracts`: who the parties of each contract are (jobs' ContractStarted / ContractCompleted).
 * - `referral_relations`: who referred whom (referrals' ReferralAttributed and JobReferralCreated),
 *   so that a juror related to a party by referral is never drawn.
 * - `disputes`: one per dispute; the reason stays here (never in events or logs); `seed` makes
 *   every draw of the dispute reproducible. At most one unresolved dispute per contract.
 * - `dispute_draws`: each round's eligible set (user id and weight in 1e-18 units, sorted) and
 *   its SHA-256, so that anyone can re-run the draw from the seed (see jury-draw.ts).
 * - `dispute_jurors`: one row per seat taken; a juror replaced for not voting in time keeps
 *   the row with `replaced_by`, the replacement takes the seat in a new row.
 */
export class Disputes1736500000000 implements MigrationInterface {
  name = 'Disputes1736500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE contracts (
        id uuid PRIMARY KEY,
        talent_id uuid NOT NULL,
        client_id uuid NOT NULL,
        status text NOT NULL CHECK (status IN ('ACTIVE', 'COMPLETED')),
        started_at timestamptz NOT NULL,
        completed_at timestamptz,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE referral_relations (
        source_id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('SIGNUP', 'JOB')),
        connector_id uuid NOT NULL,
        referred_id uuid NOT NULL,
        referred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX referral_relations_connector_idx ON referral_relations (connector_id, referred_id)`);
    await q.query(`CREATE INDEX referral_relations_referred_idx ON referral_relations (referred_id, connector_id)`);

    await q.query(`
      CREATE TABLE disputes (
        id uuid PRIMARY KEY,
        contract_id uuid NOT NULL REFERENCES contracts (id),
        talent_id uuid NOT NULL,
        client_id uuid NOT NULL,
        opened_by uuid NOT NULL,
        reason text NOT NULL CHECK (char_length(reason) BETWEEN 10 AND 2000),
        status text NOT NULL CHECK (status IN ('OPEN', 'VOTING', 'RESOLVED')),
        seed text NOT NULL CHECK (seed ~ '^[0-9a-f]{64}$'),
        jury_size integer NOT NULL CHECK (jury_size > 0),
        round integer NOT NULL DEFAULT 0 CHECK (round >= 0),
        outcome text CHECK (outcome IN ('FOR_TALENT', 'FOR_CLIENT')),
        created_at timestamptz NOT NULL,
        resolved_at timestamptz,
        CHECK (opened_by IN (talent_id, client_id)),
        CHECK ((status = 'RESOLVED') = (outcome IS NOT NULL)),
        CHECK ((status = 'RESOLVED') = (resolved_at IS NOT NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX disputes_one_open_per_contract ON disputes (contract_id) WHERE status <> 'RESOLVED'`);
    await q.query(`CREATE INDEX disputes_voting_idx ON disputes (created_at) WHERE status = 'VOTING'`);

    await q.query(`
      CREATE TABLE dispute_draws (
        dispute_id uuid NOT NULL REFERENCES disputes (id),
        round integer NOT NULL CHECK (round > 0),
        drawn_at timestamptz NOT NULL,
        seats integer NOT NULL CHECK (seats > 0),
        eligible jsonb NOT NULL,
        eligible_hash text NOT NULL,
        drawn jsonb NOT NULL,
        PRIMARY KEY (dispute_id, round)
      )`);

    await q.query(`
      CREATE TABLE dispute_jurors (
        id bigserial PRIMARY KEY,
        dispute_id uuid NOT NULL REFERENCES disputes (id),
        seat integer NOT NULL CHECK (seat > 0),
        round integer NOT NULL CHECK (round > 0),
        juror_id uuid NOT NULL,
        drawn_at timestamptz NOT NULL,
        vote_by timestamptz NOT NULL,
        decision text CHECK (decision IN ('FOR_TALENT', 'FOR_CLIENT')),
        voted_at timestamptz,
        replaced_by uuid,
        replaced_at timestamptz,
        CHECK ((decision IS NULL) = (voted_at IS NULL)),
        CHECK ((replaced_by IS NULL) = (replaced_at IS NULL)),
        CHECK (replaced_by IS NULL OR decision IS NULL)
      )`);
    // A member sits at most once on a dispute (a replaced no-show is not drawn again), one juror per seat at a time.
    await q.query(`CREATE UNIQUE INDEX dispute_jurors_once ON dispute_jurors (dispute_id, juror_id)`);
    await q.query(`CREATE UNIQUE INDEX dispute_jurors_seat ON dispute_jurors (dispute_id, seat) WHERE replaced_by IS NULL`);
    await q.query(`CREATE INDEX dispute_jurors_juror_idx ON dispute_jurors (juror_id) WHERE replaced_by IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['dispute_jurors', 'dispute_draws', 'disputes', 'referral_relations', 'contracts']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
