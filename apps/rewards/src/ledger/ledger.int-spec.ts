/**
 * The ledger on a real PostgreSQL: genesis once, the supply invariant, and the database's own
 * guards (non-negative balances under concurrency, balanced transactions, append-only tables).
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createEvent, TalentScreened } from '@talent/events';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { dataSourceOptions, InsufficientFundsError, inTransaction } from '@talent/platform';
import { createTestDatabase } from '@talent/testing';
import { addMember, assertLedgerConsistent, balanceOf, fund, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { REWARDS_ENTITIES, REWARDS_MIGRATIONS } from '../app.module';
import { GenesisService } from '../genesis/genesis.service';
import { COMMUNITY_POOL, SystemAccounts, walletAccounts } from './accounts';
import { toUnits } from '@talent/platform';
import { Ledger } from './ledger';

let h: RewardsHarness;
const silent = pino({ level: 'silent' });

beforeAll(async () => {
  h = await openRewards('ledger', { poolSize: 12 });
});

afterAll(async () => {
  await h?.close();
});

describe('genesis', () => {
  it('mints the cap once into the four allocations, however often and from however many replicas it runs', async () => {
    // openRewards already minted: more runs, sequential and concurrent (as replicas starting together), mint nothing.
    expect(await h.core.genesis.ensureGenesis()).toBe(false);
    const replicas = Array.from({ length: 4 }, () => new GenesisService(h.dataSource, h.core.ledger, silent));
    expect(await Promise.all(replicas.map((r) => r.ensureGenesis()))).toEqual([false, false, false, false]);
    const journals = await h.sql(`SELECT kind, count(*)::int AS n FROM ledger_transactions WHERE kind = 'GENESIS' GROUP BY kind`);
    expect(journals).toEqual([{ kind: 'GENESIS', n: 1 }]);

    expect(await balanceOf(h, SystemAccounts.genesis.id)).toBe('-250000000');
    const supply = await h.core.supply.supply();
    expect(supply).toEqual({
      cap: '250000000',
      allocations: [
        { bucket: 'community_incentives', amount: '135000000' },
        { bucket: 'early_investors', amount: '55000000' },
        { bucket: 'crowdsale', amount: '12500000' },
        { bucket: 'nodes', amount: '47500000' },
      ],
      communityPoolRemaining: '135000000',
      treasuryBalance: '0',
      distributedRewards: '0',
    });
  });

  it('on a fresh database, replicas starting together mint exactly once', async () => {
    // Migrated but not started (the service mints at start): five replicas' genesis at once.
    const db = await createTestDatabase('rewards_genesis_race');
    const dataSource = await new DataSource(
      dataSourceOptions({ url: db.url, entities: REWARDS_ENTITIES, migrations: REWARDS_MIGRATIONS, poolSize: 6, applicationName: 'rewards-genesis-race' }),
    ).initialize();
    const ledger = new Ledger();
    try {
      const results = await Promise.all(Array.from({ length: 5 }, () => new GenesisService(dataSource, ledger, silent).ensureGenesis()));
      expect(results.filter((minted) => minted)).toHaveLength(1);
      expect((await dataSource.query(`SELECT count(*)::int AS n FROM ledger_transactions WHERE idempotency_key = 'genesis'`))[0].n).toBe(1);
      // The unique key is the backstop even without the advisory lock.
      await expect(
        inTransaction(dataSource, (tx) =>
          ledger.post(tx, {
            kind: 'GENESIS',
            reason: 'genesis',
            reference: 'genesis',
            idempotencyKey: 'genesis',
            postings: [
              { accountId: SystemAccounts.genesis.id, amount: -1n },
              { accountId: SystemAccounts.nodes.id, amount: 1n },
            ],
          }),
        ),
      ).rejects.toMatchObject({ driverError: { code: '23505' } });
    } finally {
      await dataSource.destroy();
      await db.drop();
    }
  });
});

describe('supply', () => {
  it('keeps communityPoolRemaining + distributedRewards = 135,000,000 as rewards are paid', async () => {
    const inspectors = [await addMember(h), await addMember(h), await addMember(h)];
    for (let i = 0; i < 9; i++) {
      await h.deliver(
        createEvent(TalentScreened, {
          screeningId: randomUUID(),
          talentId: randomUUID(),
          inspectorId: inspectors[i % 3],
          decision: i % 2 ? 'APPROVED' : 'REJECTED',
          screenedAt: new Date().toISOString(),
        }),
      );
    }
    const supply = await h.core.supply.supply();
    expect(supply.distributedRewards).toBe('225'); // 9 x 25
    expect(toUnits(supply.communityPoolRemaining) + toUnits(supply.distributedRewards)).toBe(toUnits('135000000'));
    const [{ paid }] = await h.sql(`SELECT COALESCE(sum(amount), 0)::text AS paid FROM reward_grants WHERE status = 'PAID'`);
    expect(toUnits(paid)).toBe(toUnits(supply.distributedRewards));
    for (const id of inspectors) expect((await walletOf(h, id)).balance).toBe('75');
    await assertLedgerConsistent(h);
  });
});

describe('non-negative balances under concurrency', () => {
  const debit = (userId: string, amount: string) =>
    inTransaction(h.dataSource, (tx) =>
      h.core.ledger.post(tx, {
        kind: 'WITHDRAWAL',
        reason: 'test.debit',
        reference: randomUUID(),
        idempotencyKey: `test.debit:${randomUUID()}`,
        postings: [
          { accountId: walletAccounts(userId).available, amount: -toUnits(amount) },
          { accountId: SystemAccounts.withdrawalsPending.id, amount: toUnits(amount) },
        ],
      }),
    );

  it('two simultaneous debits of the last tokens: one wins, the other gets INSUFFICIENT_FUNDS', async () => {
    for (let round = 0; round < 10; round++) {
      const user = await addMember(h);
      await fund(h, user, '10');
      const results = await Promise.allSettled([debit(user, '10'), debit(user, '10')]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(InsufficientFundsError);
      expect(lost[0].reason.code).toBe('INSUFFICIENT_FUNDS');
      expect((await walletOf(h, user)).available).toBe('0');
    }
    await assertLedgerConsistent(h);
  });

  it('the database refuses an overdraft itself, even from SQL that skips the Ledger class', async () => {
    const user = await addMember(h);
    await fund(h, user, '5');
    const wallet = walletAccounts(user);
    const clients = [new Client({ connectionString: h.db.url }), new Client({ connectionString: h.db.url })];
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const rawDebit = async (c: Client) => {
        const t = randomUUID();
        await c.query('BEGIN');
        try {
          await c.query(
            `INSERT INTO ledger_transactions (id, kind, reason, reference, idempotency_key) VALUES ($1::uuid, 'WITHDRAWAL', 'raw', 'raw', $1::text)`,
            [t],
          );
          await c.query(
            `INSERT INTO ledger_postings (id, transaction_id, account_id, amount, balance_after, account_seq)
             VALUES ($1, $3, $4, -5, 999, 1), ($2, $3, $5, 5, 999, 1)`,
            [randomUUID(), randomUUID(), t, wallet.available, SystemAccounts.withdrawalsPending.id],
          );
          await new Promise((r) => setTimeout(r, 50)); // hold the account lock a moment
          await c.query('COMMIT');
        } catch (error) {
          await c.query('ROLLBACK');
          throw error;
        }
      };
      const results = await Promise.allSettled(clients.map(rawDebit));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
      expect(failure.reason).toMatchObject({ code: '23514', constraint: 'ledger_postings_non_negative' });
      // The bogus balance_after/account_seq given by the caller were replaced by the trigger.
      const [last] = await h.sql(
        `SELECT balance_after::text AS balance_after, account_seq::int AS account_seq FROM ledger_postings WHERE account_id = $1 ORDER BY account_seq DESC LIMIT 1`,
        [wallet.available],
      );
      expect(last).toEqual({ balance_after: '0.000000000000000000', account_seq: 2 });
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    await assertLedgerConsistent(h);
  });
});

describe('database guards', () => {
  it('refuses an unbalanced journal transaction at commit', async () => {
    const c = new Client({ connectionString: h.db.url });
    await c.connect();
    try {
      const t = randomUUID();
      await c.query('BEGIN');
      await c.query(`INSERT INTO ledger_transactions (id, kind, reason, reference, idempotency_key) VALUES ($1::uuid, 'GRANT', 'raw', 'raw', $1::text)`, [t]);
      await c.query(
        `INSERT INTO ledger_postings (id, transaction_id, account_id, amount, balance_after, account_seq) VALUES ($1, $2, $3, -7, 0, 0), ($4, $2, $5, 6, 0, 0)`,
        [randomUUID(), t, COMMUNITY_POOL.id, randomUUID(), SystemAccounts.treasury.id],
      );
      await expect(c.query('COMMIT')).rejects.toMatchObject({ code: '23514', constraint: 'ledger_transactions_balanced' });
    } finally {
      await c.end();
    }
    await expect(
      inTransaction(h.dataSource, (tx) =>
        h.core.ledger.post(tx, {
          kind: 'GRANT',
          reason: 'x',
          reference: 'x',
          idempotencyKey: randomUUID(),
          postings: [
            { accountId: COMMUNITY_POOL.id, amount: -2n },
            { accountId: SystemAccounts.treasury.id, amount: 1n },
          ],
        }),
      ),
    ).rejects.toThrow('does not sum to zero');
  });

  it('keeps postings and journal transactions append-only', async () => {
    await expect(h.sql(`UPDATE ledger_postings SET amount = amount * 2`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`DELETE FROM ledger_postings`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`UPDATE ledger_transactions SET reason = 'x'`)).rejects.toThrow(/append-only/);
    await expect(h.sql(`TRUNCATE ledger_postings CASCADE`)).rejects.toThrow(/append-only/);
    await assertLedgerConsistent(h);
  });
});
