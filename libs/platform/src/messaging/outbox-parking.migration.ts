import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows the broker refused for good (too large, invalid or missing topic) are parked
 * with the reason instead of blocking the rest; `attempts` and `last_error` tell ops why an
 * event is still pending. Later events of a parked event's key wait behind it (per-key order).
 */
export class OutboxParkingMigration1732500000001 implements MigrationInterface {
  name = 'OutboxParkingMigration1732500000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE outbox
        ADD COLUMN attempts int NOT NULL DEFAULT 0,
        ADD COLUMN last_error text,
        ADD COLUMN parked_at timestamptz,
        ADD COLUMN park_reason text`);
    await q.query(`CREATE INDEX outbox_parked_idx ON outbox (topic, message_key) WHERE parked_at IS NOT NULL AND published_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX outbox_parked_idx');
    await q.query('ALTER TABLE outbox DROP COLUMN park_reason, DROP COLUMN parked_at, DROP COLUMN last_error, DROP COLUMN attempts');
  }
}
