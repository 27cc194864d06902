import type { MigrationInterface, QueryRunner } from 'typeorm';
import { SystemAccounts } from '../ledger/accounts';

/**
 * Fee buybacks credit the DAO treasury (issue 10): payments converts platform fees into BTRST
 * (FeesConverted) and rewards credits exactly what was bought (ledger kind TREASURY_BUYBACK).
 *
 * Those BTRST already exist: they are bought on the open market, not minted. The ledger is
 * double entry, so they need an account to come from: `market`. BTRST bought back on the open
 * market enter the ledger from here; its balance is minus everything bought back, so every
 * entry still balances to zero and nothing is minted (genesis still says what the cap is).
 *
 * `market` is the only account besides genesis that may go negative: the posting trigger
 * already refuses a negative balance unless `may_go_negative`, so only the CHECK that reserved
 * that flag to genesis is widened (to exactly these two kinds, one account of each).
 */
export class TreasuryBuyback1736000000000 implements MigrationInterface {
  name = 'TreasuryBuyback1736000000000';

  async up(q: QueryRunner): Promise<void> {
    const { market } = SystemAccounts;
    await q.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check`);
    await q.query(`
      ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
        CHECK (kind IN ('GENESIS', 'ALLOCATION', 'TREASURY', 'WITHDRAWAL_PENDING', 'EXTERNAL', 'MARKET', 'USER_AVAILABLE', 'USER_LOCKED'))`);
    // Named by PostgreSQL in 1732900000000 (the second unnamed table CHECK): NOT may_go_negative OR kind = 'GENESIS'.
    await q.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_check1`);
    await q.query(`ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_may_go_negative CHECK (NOT may_go_negative OR kind IN ('GENESIS', 'MARKET'))`);
    await q.query(`CREATE UNIQUE INDEX ledger_accounts_one_market ON ledger_accounts (kind) WHERE kind = 'MARKET'`);
    await q.query(`INSERT INTO ledger_accounts (id, code, kind, may_go_negative) VALUES ($1, $2, $3, true)`, [market.id, market.code, market.kind]);
  }

  async down(q: QueryRunner): Promise<void> {
    // Fails (foreign key) once a buyback was posted: the ledger is append-only, its history stays.
    await q.query(`DELETE FROM ledger_accounts WHERE id = $1`, [SystemAccounts.market.id]);
    await q.query(`DROP INDEX ledger_accounts_one_market`);
    await q.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_may_go_negative`);
    await q.query(`ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_check1 CHECK (NOT may_go_negative OR kind = 'GENESIS')`);
    await q.query(`ALTER TABLE ledger_accounts DROP CONSTRAINT ledger_accounts_kind_check`);
    await q.query(`
      ALTER TABLE ledger_accounts ADD CONSTRAINT ledger_accounts_kind_check
        CHECK (kind IN ('GENESIS', 'ALLOCATION', 'TREASURY', 'WITHDRAWAL_PENDING', 'EXTERNAL', 'USER_AVAILABLE', 'USER_LOCKED'))`);
  }
}
