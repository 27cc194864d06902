import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Grants paid from the DAO treasury (issue 11): governance's GrantApproved pays a GRANT
 * proposal's amount from the `treasury` account to the recipient's wallet (ledger kind GRANT).
 *
 * One row per proposal: the decision, made once whatever event carries it. PAID points at the
 * ledger entry; REFUSED keeps the reason (the treasury could not pay it at execution), so a
 * replay later, when the treasury has grown, does not pay a grant refused for good; a grant
 * whose recipient rewards does not know as a member yet waits (AWAITING_MEMBERSHIP) for their
 * KycApproved, which arrives on another topic and may come later than governance's event.
 *
 * `treasury_balance_announced` (one row): the `changedAt` of the last TreasuryBalanceChanged.
 * Governance keeps the latest balance by `changedAt`; entries posted concurrently can take their
 * time (in `Ledger.prepare`) in another order than the treasury's running balance, or the same
 * millisecond, so each announcement takes max(entry time, previous + 1 ms), under the treasury's lock.
 */
export class TreasuryGrants1736400000000 implements MigrationInterface {
  name = 'TreasuryGrants1736400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE treasury_grants (
        proposal_id uuid PRIMARY KEY,
        recipient_id uuid NOT NULL,
        amount numeric(36, 18) NOT NULL CHECK (amount > 0),
        status text NOT NULL CHECK (status IN ('AWAITING_MEMBERSHIP', 'PAID', 'REFUSED')),
        refusal_reason text CHECK (refusal_reason IN ('INSUFFICIENT_TREASURY')),
        transaction_id uuid REFERENCES ledger_transactions (id) DEFERRABLE INITIALLY DEFERRED,
        approved_at timestamptz NOT NULL,
        event_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        CHECK ((status = 'PAID') = (transaction_id IS NOT NULL)),
        CHECK ((status = 'REFUSED') = (refusal_reason IS NOT NULL)),
        CHECK ((status = 'AWAITING_MEMBERSHIP') = (decided_at IS NULL))
      )`);
    await q.query(`CREATE INDEX treasury_grants_awaiting_idx ON treasury_grants (recipient_id) WHERE status = 'AWAITING_MEMBERSHIP'`);
    await q.query(`
      CREATE TABLE treasury_balance_announced (
        id smallint PRIMARY KEY CHECK (id = 1),
        entry_id uuid NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE treasury_balance_announced');
    await q.query('DROP TABLE treasury_grants');
  }
}
