import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider confirmations and Stripe-like idempotency (issue 10):
 * - `idempotency_keys`: a client's key bound to the request it first came with (its fingerprint),
 *   kept at least 24 h; scoped per client, so two clients' keys never collide or leak;
 * - `provider_webhooks`: the inbox of the provider's signed webhooks (`webhook-id`): a replay is ignored;
 * - `provider_charges` (the local provider's own side) learns PENDING and when it confirmed;
 * - invoices keep their total and fee in USD at the rate of payment (the network dashboard), and
 *   contracts their job (the partner projection of paid invoices is keyed by job).
 */
export class ProviderConfirmations1736000000000 implements MigrationInterface {
  name = 'ProviderConfirmations1736000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        client_id uuid NOT NULL,
        key text NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{8,100}$'),
        operation text NOT NULL,
        fingerprint text NOT NULL,
        invoice_id uuid NOT NULL REFERENCES invoices (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (client_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
    // Keys already used by attempts stay bound to their invoice.
    await q.query(`
      INSERT INTO idempotency_keys (client_id, key, operation, fingerprint, invoice_id, created_at)
      SELECT i.client_id, a.idempotency_key, 'approveInvoice', 'invoice:' || a.invoice_id, a.invoice_id, a.created_at
        FROM payment_attempts a JOIN invoices i ON i.id = a.invoice_id
      ON CONFLICT DO NOTHING`);
    // A key is now unique per client (idempotency_keys), and an attempt per (invoice, key).
    await q.query(`DROP INDEX payment_attempts_key_unique`);
    await q.query(`CREATE UNIQUE INDEX payment_attempts_invoice_key_unique ON payment_attempts (invoice_id, idempotency_key)`);
    // Attempts the sweep looks at: still waiting for the provider's outcome.
    await q.query(`CREATE INDEX payment_attempts_pending_idx ON payment_attempts (created_at) WHERE status = 'PENDING'`);

    await q.query(`
      CREATE TABLE provider_webhooks (
        webhook_id text PRIMARY KEY,
        type text NOT NULL,
        charge_id text,
        received_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL
      )`);

    await q.query(`ALTER TABLE provider_charges DROP CONSTRAINT provider_charges_status_check`);
    await q.query(`ALTER TABLE provider_charges ADD CONSTRAINT provider_charges_status_check CHECK (status IN ('PENDING', 'SUCCEEDED', 'DECLINED'))`);
    await q.query(`ALTER TABLE provider_charges ADD COLUMN settled_at timestamptz, ADD COLUMN webhook_lost boolean NOT NULL DEFAULT false`);
    await q.query(`UPDATE provider_charges SET settled_at = created_at`);

    await q.query(`ALTER TABLE invoices ADD COLUMN total_usd numeric(20, 2), ADD COLUMN platform_fee_usd numeric(20, 2)`);
    // Invoices paid before: their USD values from the rate recorded when they were paid.
    await q.query(`
      UPDATE invoices SET total_usd = round(total * usd_rate, 2), platform_fee_usd = round(platform_fee * usd_rate, 2)
       WHERE status = 'PAID' AND usd_rate IS NOT NULL`);
    await q.query(`CREATE INDEX invoices_paid_idx ON invoices (paid_at) WHERE status = 'PAID'`);
    await q.query(`ALTER TABLE contracts ADD COLUMN job_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE contracts DROP COLUMN job_id`);
    await q.query(`DROP INDEX invoices_paid_idx`);
    await q.query(`ALTER TABLE invoices DROP COLUMN platform_fee_usd, DROP COLUMN total_usd`);
    await q.query(`ALTER TABLE provider_charges DROP COLUMN webhook_lost, DROP COLUMN settled_at`);
    await q.query(`DELETE FROM provider_charges WHERE status = 'PENDING'`);
    await q.query(`ALTER TABLE provider_charges DROP CONSTRAINT provider_charges_status_check`);
    await q.query(`ALTER TABLE provider_charges ADD CONSTRAINT provider_charges_status_check CHECK (status IN ('SUCCEEDED', 'DECLINED'))`);
    await q.query(`DROP TABLE provider_webhooks`);
    await q.query(`DROP INDEX payment_attempts_pending_idx`);
    await q.query(`DROP INDEX payment_attempts_invoice_key_unique`);
    await q.query(`CREATE UNIQUE INDEX payment_attempts_key_unique ON payment_attempts (idempotency_key)`);
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
