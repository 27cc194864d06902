import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SYSTEM_ACCOUNTS } from '../ledger/accounts';

/**
 * The BTRST ledger and everything rewards owns.
 *
 * Ledger invariants enforced by PostgreSQL itself, whatever code writes:
 * - postings and journal transactions are append-only (UPDATE/DELETE raise);
 * - every journal transaction's postings sum to zero (deferred constraint trigger, checked at commit);
 * - each posting's `balance_after` is computed by a trigger under the account's row lock
 *   (previous balance + amount), chained by a unique per-account sequence;
 * - no account but the genesis source may end below zero (the trigger raises check_violation).
 */
export class RewardsSchema1732900000000 implements MigrationInterface {
  name = 'RewardsSchema1732900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE ledger_accounts (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('GENESIS', 'ALLOCATION', 'TREASURY', 'WITHDRAWAL_PENDING', 'EXTERNAL', 'USER_AVAILABLE', 'USER_LOCKED')),
        owner_id uuid,
        may_go_negative boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((owner_id IS NOT NULL) = (kind IN ('USER_AVAILABLE', 'USER_LOCKED'))),
        CHECK (NOT may_go_negative OR kind = 'GENESIS')
      )`);
    await q.query(`CREATE UNIQUE INDEX ledger_accounts_owner_kind_key ON ledger_accounts (owner_id, kind) WHERE owner_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX ledger_accounts_one_genesis ON ledger_accounts (kind) WHERE kind = 'GENESIS'`);

    await q.query(`
      CREATE TABLE ledger_transactions (
        id uuid PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('GENESIS', 'REWARD', 'STAKE_LOCK', 'STAKE_RELEASE', 'STAKE_SLASH', 'TREASURY_BUYBACK', 'GRANT', 'WITHDRAWAL')),
        reason text NOT NULL,
        reference text NOT NULL,
        idempotency_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX ledger_transactions_idempotency_key ON ledger_transactions (idempotency_key)`);

    await q.query(`
      CREATE TABLE ledger_postings (
        id uuid PRIMARY KEY,
        seq bigserial NOT NULL UNIQUE,
        transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
        account_id uuid NOT NULL REFERENCES ledger_accounts (id),
        amount numeric(36, 18) NOT NULL CHECK (amount <> 0),
        balance_after numeric(36, 18) NOT NULL,
        account_seq bigint NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // The chain of one account's postings: its latest balance is one index probe away.
    await q.query(`CREATE UNIQUE INDEX ledger_postings_account_chain ON ledger_postings (account_id, account_seq)`);
    await q.query(`CREATE INDEX ledger_postings_account_seq_idx ON ledger_postings (account_id, seq DESC)`);
    await q.query(`CREATE INDEX ledger_postings_transaction_idx ON ledger_postings (transaction_id)`);

    await q.query(`
      CREATE FUNCTION ledger_postings_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        negative_ok boolean;
        previous record;
      BEGIN
        SELECT may_go_negative INTO negative_ok FROM ledger_accounts WHERE id = NEW.account_id FOR UPDATE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'ledger account % does not exist', NEW.account_id USING ERRCODE = 'foreign_key_violation';
        END IF;
        SELECT balance_after, account_seq INTO previous
          FROM ledger_postings WHERE account_id = NEW.account_id ORDER BY account_seq DESC LIMIT 1;
        NEW.account_seq := COALESCE(previous.account_seq, 0) + 1;
        NEW.balance_after := COALESCE(previous.balance_after, 0) + NEW.amount;
        IF NEW.balance_after < 0 AND NOT negative_ok THEN
          RAISE EXCEPTION 'insufficient funds on ledger account %', NEW.account_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_postings_non_negative';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER ledger_postings_chain BEFORE INSERT ON ledger_postings FOR EACH ROW EXECUTE FUNCTION ledger_postings_chain()`);

    await q.query(`
      CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['ledger_postings', 'ledger_transactions']) {
      await q.query(`CREATE TRIGGER ${table}_append_only BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION ledger_append_only()`);
      await q.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only()`);
    }

    await q.query(`
      CREATE FUNCTION ledger_transaction_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        total numeric;
        legs integer;
      BEGIN
        SELECT COALESCE(sum(amount), 0), count(*) INTO total, legs FROM ledger_postings WHERE transaction_id = NEW.transaction_id;
        IF total <> 0 OR legs < 2 THEN
          RAISE EXCEPTION 'ledger transaction % is unbalanced (sum %, % postings)', NEW.transaction_id, total, legs
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_transactions_balanced';
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE CONSTRAINT TRIGGER ledger_postings_balanced AFTER INSERT ON ledger_postings
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_transaction_balanced()`);

    // The accounts of this schema only: `market` (kind MARKET, which this CHECK does not know yet) is created by 1736000000000.
    const systemRows = SYSTEM_ACCOUNTS.filter((a) => a.kind !== 'MARKET')
      .map((a) => `('${a.id}', '${a.code}', '${a.kind}', ${a.kind === 'GENESIS'})`)
      .join(',\n        ');
    await q.query(`INSERT INTO ledger_accounts (id, code, kind, may_go_negative) VALUES\n        ${systemRows}`);

    await q.query(`
      CREATE TABLE members (
        user_id uuid PRIMARY KEY,
        kyc_case_id uuid NOT NULL,
        approved_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE reward_policies (
        key text PRIMARY KEY,
        description text NOT NULL,
        amount numeric(36, 18) CHECK (amount > 0),
        rate numeric(36, 18) CHECK (rate > 0),
        rate_currency char(3),
        active boolean NOT NULL DEFAULT true,
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((amount IS NULL) <> (rate IS NULL)),
        CHECK ((rate IS NULL) = (rate_currency IS NULL))
      )`);
    // Defaults until governance changes them (ParameterChanged): never constants in code.
    await q.query(`
      INSERT INTO reward_policies (key, description, amount, rate, rate_currency) VALUES
        ('talent.screened', 'Paid to the inspector for each talent screening, approved or rejected.', 25, NULL, NULL),
        ('rating.five_star', 'Paid to the rated party of a completed contract for a 5-star rating.', 10, NULL, NULL),
        ('connector.referral', 'Paid to the connector when a referred talent is hired: BTRST per USD of contract value.', NULL, 0.05, 'USD'),
        ('connector.client_referral', 'Paid to the connector when a referred client hires: BTRST per USD of contract value.', NULL, 0.02, 'USD')`);

    // Conversion rates into a policy's rate currency; a value in a currency without a rate is refused, never guessed.
    await q.query(`
      CREATE TABLE fx_rates (
        currency char(3) NOT NULL,
        quote_currency char(3) NOT NULL,
        rate numeric(36, 18) NOT NULL CHECK (rate > 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (currency, quote_currency)
      )`);

    await q.query(`
      CREATE TABLE reward_grants (
        id uuid PRIMARY KEY,
        policy_key text NOT NULL REFERENCES reward_policies (key),
        reference text NOT NULL,
        beneficiary_id uuid NOT NULL,
        amount numeric(36, 18),
        status text NOT NULL CHECK (status IN ('PAID', 'REFUSED')),
        refusal_reason text CHECK (refusal_reason IN ('NOT_A_MEMBER', 'POOL_EXHAUSTED', 'NO_FX_RATE', 'POLICY_INACTIVE', 'INVALID_AMOUNT')),
        transaction_id uuid REFERENCES ledger_transactions (id) DEFERRABLE INITIALLY DEFERRED,
        event_id uuid,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'PAID') = (transaction_id IS NOT NULL)),
        CHECK ((status = 'REFUSED') = (refusal_reason IS NOT NULL)),
        CHECK (status = 'REFUSED' OR amount > 0)
      )`);
    // Idempotency of every reward: one decision per (policy, reference, beneficiary), paid at most once.
    await q.query(`CREATE UNIQUE INDEX reward_grants_once ON reward_grants (policy_key, reference, beneficiary_id)`);
    await q.query(`CREATE INDEX reward_grants_beneficiary_idx ON reward_grants (beneficiary_id, created_at DESC)`);

    await q.query(`
      CREATE TABLE stakes (
        application_id uuid PRIMARY KEY,
        talent_id uuid NOT NULL,
        amount numeric(36, 18) NOT NULL,
        status text NOT NULL CHECK (status IN ('LOCKED', 'REJECTED', 'RELEASED', 'SLASHED')),
        rejection_reason text CHECK (rejection_reason IN ('INSUFFICIENT_FUNDS', 'NOT_A_MEMBER', 'INVALID_AMOUNT')),
        lock_transaction_id uuid REFERENCES ledger_transactions (id),
        settle_transaction_id uuid REFERENCES ledger_transactions (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'REJECTED') = (rejection_reason IS NOT NULL)),
        CHECK ((status = 'REJECTED') = (lock_transaction_id IS NULL)),
        CHECK ((status IN ('RELEASED', 'SLASHED')) = (settle_transaction_id IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX stakes_talent_idx ON stakes (talent_id)`);

    await q.query(`
      CREATE TABLE withdrawals (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        amount numeric(36, 18) NOT NULL CHECK (amount > 0),
        to_address text NOT NULL CHECK (to_address ~ '^0x[0-9a-fA-F]{40}$'),
        status text NOT NULL CHECK (status IN ('REQUESTED', 'SENT', 'FAILED')),
        tx_hash text,
        failure_reason text,
        hold_transaction_id uuid NOT NULL REFERENCES ledger_transactions (id),
        settle_transaction_id uuid REFERENCES ledger_transactions (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'SENT') = (tx_hash IS NOT NULL)),
        CHECK ((status = 'REQUESTED') = (settle_transaction_id IS NULL))
      )`);
    await q.query(`CREATE INDEX withdrawals_user_idx ON withdrawals (user_id, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX withdrawals_requested_idx ON withdrawals (created_at) WHERE status = 'REQUESTED'`);

    // What the local chain adapter "sent": one transfer per withdrawal, so a retried job gets the same hash.
    await q.query(`
      CREATE TABLE local_chain_transfers (
        withdrawal_id uuid PRIMARY KEY,
        to_address text NOT NULL,
        amount numeric(36, 18) NOT NULL,
        tx_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['local_chain_transfers', 'withdrawals', 'stakes', 'reward_grants', 'fx_rates', 'reward_policies', 'members']) {
      await q.query(`DROP TABLE ${table}`);
    }
    await q.query(`DROP TABLE ledger_postings`);
    await q.query(`DROP TABLE ledger_transactions`);
    await q.query(`DROP TABLE ledger_accounts`);
    await q.query(`DROP FUNCTION ledger_transaction_balanced(), ledger_append_only(), ledger_postings_chain()`);
  }
}
