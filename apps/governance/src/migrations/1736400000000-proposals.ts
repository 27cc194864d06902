import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Proposals, votes and the treasury balance governance checks grants against.
 * - `proposals`: status is stored and moved by the state machine (src/proposals/proposal-state.ts);
 *   tallies are exact NUMERIC; `quorum` is fixed at creation from the members' balances at snapshot_at.
 * - `votes`: one per (proposal, voter), append-only, weight = voting power at the proposal's snapshot.
 * - `treasury_balance`: one row, the latest TreasuryBalanceChanged by the ledger entry's time.
 */
export class Proposals1736400000000 implements MigrationInterface {
  name = 'Proposals1736400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY,
        proposer_id uuid NOT NULL,
        title text NOT NULL,
        description text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('TEXT', 'PARAMETER_CHANGE', 'GRANT')),
        parameter_changes jsonb NOT NULL DEFAULT '[]',
        grant_recipient_id uuid,
        grant_amount numeric(36, 18) CHECK (grant_amount > 0),
        status text NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'SUCCEEDED', 'DEFEATED', 'QUEUED', 'EXECUTED', 'CANCELED', 'EXPIRED')),
        snapshot_at timestamptz NOT NULL,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        total_power numeric(36, 18) NOT NULL CHECK (total_power >= 0),
        quorum numeric(36, 18) NOT NULL CHECK (quorum >= 0),
        for_votes numeric(36, 18) NOT NULL DEFAULT 0,
        against_votes numeric(36, 18) NOT NULL DEFAULT 0,
        abstain_votes numeric(36, 18) NOT NULL DEFAULT 0,
        quorum_reached_at timestamptz,
        extended_by_late_quorum boolean NOT NULL DEFAULT false,
        decided_at timestamptz,
        queued_at timestamptz,
        executable_at timestamptz,
        expires_at timestamptz,
        executed_at timestamptz,
        executed_by uuid,
        canceled_at timestamptz,
        canceled_by uuid,
        canceled_by_guardian boolean,
        cancel_reason text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'GRANT') = (grant_recipient_id IS NOT NULL AND grant_amount IS NOT NULL)),
        CHECK (starts_at >= snapshot_at AND ends_at > starts_at),
        CHECK (status <> 'QUEUED' OR (executable_at IS NOT NULL AND expires_at IS NOT NULL)),
        CHECK (status <> 'EXECUTED' OR (executed_at IS NOT NULL AND executed_by IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX proposals_created_idx ON proposals (created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX proposals_status_created_idx ON proposals (status, created_at DESC, id DESC)`);
    // The sweep and the start-up reconciliation look only at proposals still moving.
    await q.query(`CREATE INDEX proposals_open_idx ON proposals (status) WHERE status IN ('PENDING', 'ACTIVE', 'QUEUED')`);

    await q.query(`
      CREATE TABLE votes (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL REFERENCES proposals (id),
        voter_id uuid NOT NULL,
        support text NOT NULL CHECK (support IN ('FOR', 'AGAINST', 'ABSTAIN')),
        weight numeric(36, 18) NOT NULL CHECK (weight > 0),
        reason text,
        created_at timestamptz NOT NULL,
        CONSTRAINT votes_proposal_voter_key UNIQUE (proposal_id, voter_id)
      )`);
    await q.query(`CREATE INDEX votes_proposal_created_idx ON votes (proposal_id, created_at, id)`);
    await q.query(`CREATE TRIGGER votes_append_only BEFORE UPDATE OR DELETE ON votes FOR EACH ROW EXECUTE FUNCTION governance_append_only()`);

    await q.query(`
      CREATE TABLE treasury_balance (
        id smallint PRIMARY KEY CHECK (id = 1),
        balance numeric(36, 18) NOT NULL CHECK (balance >= 0),
        changed_at timestamptz NOT NULL,
        entry_id uuid NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);

    // The total voting power at an instant sums the balances of the members approved by then.
    await q.query(`CREATE INDEX members_approved_at_idx ON members (approved_at, user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX members_approved_at_idx`);
    await q.query(`DROP TABLE treasury_balance`);
    await q.query(`DROP TABLE votes`);
    await q.query(`DROP TABLE proposals`);
  }
}
