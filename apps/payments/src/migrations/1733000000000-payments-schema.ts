import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payments schema. Built by a factory so that the first run seeds `platform.feeRate` from
 * the validated PLATFORM_FEE_RATE; later starts never overwrite the parameter (governance owns it).
 */
export function paymentsSchemaMigration(initialFeeRate: string): new () => MigrationInterface {
  return class PaymentsSchema1733000000000 implements MigrationInterface {
    name = 'PaymentsSchema1733000000000';

    async up(q: QueryRunner): Promise<void> {
      // Network parameters payments applies to later work (the next invoice uses the current fee rate).
      await q.query(`
        CREATE TABLE parameters (
          key text PRIMARY KEY CHECK (key ~ '^[a-z][A-Za-z0-9.]{0,99}$'),
          value text NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          CHECK (key <> 'platform.feeRate' OR (value ~ '^\\d+(\\.\\d{1,4})?$' AND value::numeric BETWEEN 0 AND 1))
        )`);
      await q.query(`INSERT INTO parameters (key, value) VALUES ('platform.feeRate', $1)`, [initialFeeRate]);

      // Contracts as payments knows them: projected from jobs' ContractStarted / ContractCompleted.
      await q.query(`
        CREATE TABLE contracts (
          id uuid PRIMARY KEY,
          talent_id uuid NOT NULL,
          client_id uuid NOT NULL,
          rate numeric(20, 2) NOT NULL CHECK (rate > 0),
          rate_unit text NOT NULL CHECK (rate_unit IN ('HOURLY', 'FIXED')),
          currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
          status text NOT NULL CHECK (status IN ('ACTIVE', 'COMPLETED', 'CANCELLED')),
          started_at timestamptz NOT NULL,
          ended_at timestamptz,
          recorded_at timestamptz NOT NULL DEFAULT now(),
          CHECK ((status = 'ACTIVE') = (ended_at IS NULL)),
          CHECK (talent_id <> client_id)
        )`);

      await q.query(`
        CREATE TABLE invoices (
          id uuid PRIMARY KEY,
          contract_id uuid NOT NULL REFERENCES contracts (id),
          talent_id uuid NOT NULL,
          client_id uuid NOT NULL,
          description text NOT NULL CHECK (char_length(description) BETWEEN 3 AND 1000),
          hours numeric(5, 2) CHECK (hours > 0 AND hours <= 168),
          subtotal numeric(20, 2) NOT NULL CHECK (subtotal > 0),
          platform_fee numeric(20, 2) NOT NULL CHECK (platform_fee >= 0),
          fee_rate numeric(5, 4) NOT NULL CHECK (fee_rate BETWEEN 0 AND 1),
          total numeric(20, 2) NOT NULL,
          currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
          status text NOT NULL DEFAULT 'SUBMITTED' CHECK (status IN ('SUBMITTED', 'APPROVED', 'PAID', 'FAILED', 'DISPUTED')),
          provider_reference text,
          failure_reason text,
          created_at timestamptz NOT NULL,
          approved_at timestamptz,
          paid_at timestamptz,
          CHECK (total = subtotal + platform_fee),
          CHECK ((status = 'PAID') = (paid_at IS NOT NULL)),
          CHECK ((status = 'PAID') = (provider_reference IS NOT NULL)),
          CHECK (status <> 'FAILED' OR failure_reason IS NOT NULL),
          CHECK (status = 'SUBMITTED' OR approved_at IS NOT NULL)
        )`);
      // Contract.invoices (oldest first).
      await q.query(`CREATE INDEX invoices_contract_idx ON invoices (contract_id, created_at, id)`);

      // One row per approve attempt (per idempotency key). The key is unique across ALL invoices, which
      // implies unique (invoice, key): the same key always names the same attempt of the same invoice,
      // and a reuse on another invoice is a CONFLICT even under concurrency.
      await q.query(`
        CREATE TABLE payment_attempts (
          id uuid PRIMARY KEY,
          invoice_id uuid NOT NULL REFERENCES invoices (id),
          idempotency_key text NOT NULL CHECK (idempotency_key ~ '^[A-Za-z0-9_-]{8,100}$'),
          amount numeric(20, 2) NOT NULL CHECK (amount > 0),
          currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
          status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING', 'SUCCEEDED', 'DECLINED')),
          provider_reference text,
          failure_reason text,
          created_at timestamptz NOT NULL DEFAULT now(),
          completed_at timestamptz,
          CHECK ((status = 'PENDING') = (completed_at IS NULL)),
          CHECK (status <> 'SUCCEEDED' OR provider_reference IS NOT NULL),
          CHECK (status <> 'DECLINED' OR failure_reason IS NOT NULL)
        )`);
      await q.query(`CREATE UNIQUE INDEX payment_attempts_key_unique ON payment_attempts (idempotency_key)`);
      // At most one charge in flight, and at most one successful charge, per invoice.
      await q.query(`CREATE UNIQUE INDEX payment_attempts_one_pending ON payment_attempts (invoice_id) WHERE status = 'PENDING'`);
      await q.query(`CREATE UNIQUE INDEX payment_attempts_one_success ON payment_attempts (invoice_id) WHERE status = 'SUCCEEDED'`);

      // Platform fees of paid invoices, waiting for conversion to BTRST (a later slice).
      await q.query(`
        CREATE TABLE fee_accruals (
          invoice_id uuid PRIMARY KEY REFERENCES invoices (id),
          contract_id uuid NOT NULL,
          amount numeric(20, 2) NOT NULL CHECK (amount >= 0),
          currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
          fee_rate numeric(5, 4) NOT NULL CHECK (fee_rate BETWEEN 0 AND 1),
          accrued_at timestamptz NOT NULL,
          converted_at timestamptz,
          conversion_id uuid,
          CHECK ((converted_at IS NULL) = (conversion_id IS NULL))
        )`);
      await q.query(`CREATE INDEX fee_accruals_unconverted_idx ON fee_accruals (currency, accrued_at) WHERE converted_at IS NULL`);

      // LocalPaymentProvider's own ledger of charges (stands in for the provider's side).
      await q.query(`
        CREATE TABLE provider_charges (
          id text PRIMARY KEY,
          idempotency_key text NOT NULL,
          reference text NOT NULL,
          amount numeric(20, 2) NOT NULL CHECK (amount > 0),
          currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
          status text NOT NULL CHECK (status IN ('SUCCEEDED', 'DECLINED')),
          decline_reason text,
          created_at timestamptz NOT NULL DEFAULT now(),
          CHECK ((status = 'DECLINED') = (decline_reason IS NOT NULL))
        )`);
      await q.query(`CREATE UNIQUE INDEX provider_charges_key_unique ON provider_charges (idempotency_key)`);
    }

    async down(q: QueryRunner): Promise<void> {
      for (const table of ['provider_charges', 'fee_accruals', 'payment_attempts', 'invoices', 'contracts', 'parameters']) {
        await q.query(`DROP TABLE ${table}`);
      }
    }
  };
}
