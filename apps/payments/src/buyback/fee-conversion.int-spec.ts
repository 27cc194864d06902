/**
 * The buyback use case on a real PostgreSQL with the local adapters: two replicas (two
 * connection pools, two ConvertFees) running many times at once while fees keep accruing convert
 * every fee exactly once; a currency the FX side does not quote waits in CLAIMED without holding
 * the others back, and is converted once it is quoted.
 */
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { dataSourceOptions, EventPublisher, systemContext } from '@talent/platform';
import { createTestDatabase, type TestDatabase } from '@talent/testing';
import { PAYMENTS_ENTITIES, paymentsMigrations } from '../app.module';
import type { PaymentsConfig } from '../config';
import { ConvertFees } from './fee-conversion';
import { LocalFxAdapter } from './local-fx-adapter';
import { LocalPriceFeed } from './local-price-feed';

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const config = { PLATFORM_FEE_RATE: '0.10' } as PaymentsConfig;

let db: TestDatabase;
const pools: DataSource[] = [];

const replica = async (overrides: { BUYBACK_USDC_RATES?: string; LOCAL_FX_DELAY_MS?: number } = {}): Promise<ConvertFees> => {
  const dataSource = new DataSource({
    ...dataSourceOptions({
      url: db.url,
      entities: PAYMENTS_ENTITIES,
      migrations: paymentsMigrations(config),
      poolSize: 4,
      applicationName: 'payments-buyback',
    }),
    logging: false,
  });
  await dataSource.initialize();
  pools.push(dataSource);
  const fx = new LocalFxAdapter(dataSource, {
    BUYBACK_USDC_RATES: overrides.BUYBACK_USDC_RATES ?? 'USD=1,EUR=1.08',
    LOCAL_FX_DELAY_MS: overrides.LOCAL_FX_DELAY_MS ?? 0,
  });
  const feed = new LocalPriceFeed({ BTRST_PRICE_USDC: '0.3', LOCAL_PRICE_FEED_DELAY_MS: 0 });
  return new ConvertFees(dataSource, new EventPublisher(), fx, feed, logger);
};

const sql = <T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]> => pools[0].query(text, params);

/** A paid invoice and its fee accrual, as the payment confirmation records them. */
async function accrue(currency: string, fee: string): Promise<string> {
  const contractId = randomUUID();
  const invoiceId = randomUUID();
  await sql(
    `INSERT INTO contracts (id, talent_id, client_id, rate, rate_unit, currency, status, started_at) VALUES ($1, $2, $3, 100, 'FIXED', $4, 'ACTIVE', now())`,
    [contractId, randomUUID(), randomUUID(), currency],
  );
  await sql(
    `INSERT INTO invoices (id, contract_id, talent_id, client_id, description, subtotal, platform_fee, fee_rate, total, currency, status, provider_reference, created_at, approved_at, paid_at)
     SELECT $1::uuid, id, talent_id, client_id, 'Milestone', 1000, $2::numeric, 0.1, 1000 + $2::numeric, currency, 'PAID', $3::text, now(), now(), now() FROM contracts WHERE id = $4`,
    [invoiceId, fee, `ch_${invoiceId.replaceAll('-', '')}`, contractId],
  );
  await sql(`INSERT INTO fee_accruals (invoice_id, contract_id, amount, currency, fee_rate, accrued_at) VALUES ($1, $2, $3, $4, 0.1, now())`, [
    invoiceId,
    contractId,
    fee,
    currency,
  ]);
  return invoiceId;
}

beforeAll(async () => {
  db = await createTestDatabase('payments_buyback');
});

afterAll(async () => {
  for (const pool of pools) await pool.destroy();
  await db?.drop();
});

beforeEach(async () => {
  await replica();
  await sql(`TRUNCATE fee_accruals, fee_conversions, local_fx_conversions, invoices, contracts, outbox CASCADE`);
});

afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.destroy();
});

it('two replicas running at once while fees accrue convert every fee exactly once, to the cent', async () => {
  const [a, b] = [await replica({ LOCAL_FX_DELAY_MS: 100 }), await replica({ LOCAL_FX_DELAY_MS: 100 })];
  const fees: Array<[string, string]> = [];
  const results: Array<{ ran: boolean }> = [];
  for (let round = 0; round < 6; round++) {
    const accruing = (async () => {
      for (const [currency, fee] of [
        ['USD', `${round + 1}.01`],
        ['EUR', `0.0${round + 1}`],
        ['USD', '100.00'],
      ] as const) {
        await accrue(currency, fee);
        fees.push([currency, fee]);
      }
    })();
    const [runs] = await Promise.all([
      Promise.all([a.execute(systemContext(), {}), b.execute(systemContext(), {}), a.execute(systemContext(), {}), b.execute(systemContext(), {})]),
      accruing,
    ]);
    results.push(...runs);
  }
  // Drain what accrued during the last runs.
  for (let i = 0; i < 3; i++) await a.execute(systemContext(), {});

  // The advisory lock held overlapping runs off (across the two pools, as across replicas).
  expect(results.some((r) => r.ran)).toBe(true);
  expect(results.some((r) => !r.ran)).toBe(true);
  expect(await sql(`SELECT count(*)::int AS n FROM fee_accruals WHERE converted_at IS NULL`)).toEqual([{ n: 0 }]);
  const conversions = await sql<{ id: string; currency: string; fees: string; invoice_count: number; status: string; claimed: string; n: number }>(
    `SELECT c.id, c.currency, c.fees::text AS fees, c.invoice_count, c.status,
            (SELECT sum(amount)::text FROM fee_accruals a WHERE a.conversion_id = c.id) AS claimed,
            (SELECT count(*)::int FROM fee_accruals a WHERE a.conversion_id = c.id) AS n
       FROM fee_conversions c`,
  );
  for (const c of conversions) {
    expect(c.status).toBe('EXECUTED');
    expect(Number(c.claimed)).toBe(Number(c.fees));
    expect(c.n).toBe(c.invoice_count);
  }
  const cents = (amount: string) => BigInt(amount.replace('.', ''));
  for (const currency of ['USD', 'EUR']) {
    const accrued = fees.filter(([c]) => c === currency).reduce((sum, [, fee]) => sum + cents(fee), 0n);
    const converted = conversions.filter((c) => c.currency === currency).reduce((sum, c) => sum + cents(c.fees), 0n);
    expect(converted).toBe(accrued);
  }
  expect((await sql(`SELECT count(*)::int AS n FROM fee_accruals`))[0].n).toBe(fees.length);
  // One FX order and one FeesConverted per conversion.
  const ids = conversions.map((c) => c.id).sort();
  expect((await sql<{ reference: string }>(`SELECT reference FROM local_fx_conversions ORDER BY reference`)).map((r) => r.reference)).toEqual(ids);
  expect(
    (await sql<{ message_key: string }>(`SELECT message_key FROM outbox WHERE type = 'FeesConverted' ORDER BY message_key`)).map((r) => r.message_key),
  ).toEqual(ids);
});

it('a currency the FX side does not quote waits in CLAIMED, holds no other back, and converts once quoted', async () => {
  const unquoted = await replica({ BUYBACK_USDC_RATES: 'USD=1' });
  const chf = await accrue('CHF', '12.35');
  await accrue('USD', '5.00');
  const first = await unquoted.execute(systemContext(), {});
  expect(first.executed).toHaveLength(1);
  expect(first.pending).toHaveLength(1);
  expect(await sql(`SELECT currency, status FROM fee_conversions ORDER BY currency`)).toEqual([
    { currency: 'CHF', status: 'CLAIMED' },
    { currency: 'USD', status: 'EXECUTED' },
  ]);
  // More CHF fees wait for the open CHF conversion instead of opening a second one.
  await accrue('CHF', '1.00');
  await unquoted.execute(systemContext(), {});
  expect(await sql(`SELECT count(*)::int AS n FROM fee_conversions WHERE currency = 'CHF'`)).toEqual([{ n: 1 }]);

  const quoted = await replica({ BUYBACK_USDC_RATES: 'USD=1,CHF=1.1' });
  await quoted.execute(systemContext(), {});
  await quoted.execute(systemContext(), {});
  const rows = await sql(
    `SELECT c.fees::text AS fees, c.usdc_amount::text AS usdc, trim_scale(c.btrst_bought)::text AS btrst, c.status, array_agg(a.invoice_id ORDER BY a.amount DESC) AS invoices
       FROM fee_conversions c JOIN fee_accruals a ON a.conversion_id = c.id WHERE c.currency = 'CHF' GROUP BY c.id ORDER BY c.claimed_at`,
  );
  // 12.35 x 1.1 = 13.585 USDC; / 0.3 = 45.283333... BTRST, rounded down. Then 1.00 CHF in a second conversion.
  expect(rows).toEqual([
    { fees: '12.35', usdc: '13.585000', btrst: '45.283333333333333333', status: 'EXECUTED', invoices: [chf] },
    { fees: '1.00', usdc: '1.100000', btrst: '3.666666666666666666', status: 'EXECUTED', invoices: [expect.any(String)] },
  ]);
});
