import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Withdrawals that survive retries and lost answers (issue 9):
 * - `withdrawals.idempotency_key`: the client's key, unique per user, so a retried request
 *   returns the first withdrawal instead of holding the amount again;
 * - `local_chain_transfers.status`: the local chain adapter answers a transfer's status by its
 *   reference (PENDING until a later look confirms it, CONFIRMED, FAILED), so a withdrawal is
 *   refunded only when its transfer is known not to have happened.
 */
export class WithdrawalIdempotency1735600000000 implements MigrationInterface {
  name = 'WithdrawalIdempotency1735600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE withdrawals ADD COLUMN idempotency_key text CHECK (idempotency_key ~ '^[A-Za-z0-9_-]{8,100}$')`);
    await q.query(`CREATE UNIQUE INDEX withdrawals_user_idempotency_key ON withdrawals (user_id, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`ALTER TABLE local_chain_transfers ADD COLUMN status text NOT NULL DEFAULT 'CONFIRMED' CHECK (status IN ('PENDING', 'CONFIRMED', 'FAILED'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE local_chain_transfers DROP COLUMN status`);
    await q.query(`DROP INDEX withdrawals_user_idempotency_key`);
    await q.query(`ALTER TABLE withdrawals DROP COLUMN idempotency_key`);
  }
}
