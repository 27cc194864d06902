/**
 * The buyback on the real stack (payments as a process, its PostgreSQL, Redis for the repeatable
 * job, the broker): paid invoices' fees -> USDC -> BTRST. The payments process is SIGKILLed while
 * the conversions sit in CLAIMED (the FX order was filled but its answer is slow: LOCAL_FX_DELAY_MS
 * sleeps after the fill), then again while they sit in FIAT_CONVERTED (a slow price feed). After
 * the restarts, every paid invoice's fee is in exactly one executed conversion, the conversions'
 * fees add up to the accrued fees to the cent, each conversion placed one FX order and published
 * one FeesConverted, and the public API alone shows fees -> USDC -> BTRST.
 */
import { errorCode, startStack, waitFor, type Stack } from '@talent/testing';
import { FEE_CONVERSIONS, paidContract, type FeeConversionView } from './fee-conversion.helpers';
import { paymentsSql } from './helpers';

jest.setTimeout(240_000);

/** Long enough to never end during the test: the process is killed meanwhile. */
const FOREVER_MS = '600000';

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    services: ['payments'],
    env: {
      payments: {
        FEE_CONVERSION_INTERVAL_MS: '500',
        BUYBACK_USDC_RATES: 'USD=1,EUR=1.08,JPY=0.0067',
        BTRST_PRICE_USDC: '0.3',
        LOCAL_FX_DELAY_MS: FOREVER_MS,
      },
    },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const sql = <T = Record<string, any>>(text: string, params?: unknown[]) => paymentsSql<T>(stack, text, params);
const statuses = async () =>
  (await sql<{ currency: string; status: string }>(`SELECT currency, status FROM fee_conversions ORDER BY currency, claimed_at`)).map(
    (r) => `${r.currency}:${r.status}`,
  );
const killPayments = async () => {
  await stack.services.payments.process.stop('SIGKILL');
};

it('converts each paid invoice fee exactly once across SIGKILLs in CLAIMED and in FIAT_CONVERTED', async () => {
  const usd = await paidContract(stack, 'USD', [{ fee: '84.00' }, { fee: '50.00' }, { fee: '0.01' }, { fee: '0.00', feeRate: '0' }]);
  const eur = await paidContract(stack, 'EUR', [
    { fee: '10.80', usdRate: '1.08' },
    { fee: '0.05', usdRate: '1.08' },
  ]);
  const jpy = await paidContract(stack, 'JPY', [{ fee: '150', subtotal: '1500', usdRate: '0.0067' }]);

  // 1. Claimed, one conversion per currency; the first FX order is filled but its answer never comes back.
  await waitFor(async () => (await statuses()).join() === 'EUR:CLAIMED,JPY:CLAIMED,USD:CLAIMED', 30_000, { message: 'three conversions CLAIMED' });
  await waitFor(async () => (await sql(`SELECT 1 FROM local_fx_conversions`)).length === 1, 30_000, { message: 'the first FX order filled' });
  // The zero fee (fee rate 0) is not in any conversion, and not scanned again.
  expect(await sql(`SELECT conversion_id, converted_at IS NOT NULL AS done FROM fee_accruals WHERE amount = 0`)).toEqual([{ conversion_id: null, done: true }]);
  await killPayments();

  // Paid while payments was down: a later conversion, not the open USD one.
  const late = await paidContract(stack, 'USD', [{ fee: '7.77' }, { fee: '1.00' }]);

  // 2. Restarted with a prompt FX but a price feed that never answers: every conversion sells its fiat, then waits.
  await stack.services.payments.restart({ LOCAL_FX_DELAY_MS: '0', LOCAL_PRICE_FEED_DELAY_MS: FOREVER_MS });
  await waitFor(async () => (await statuses()).join() === 'EUR:FIAT_CONVERTED,JPY:FIAT_CONVERTED,USD:FIAT_CONVERTED', 30_000, {
    message: 'three conversions FIAT_CONVERTED',
  });
  await killPayments();

  // 3. Restarted with everything prompt: the three executed, and the late fees in a fourth conversion.
  await stack.services.payments.restart({ LOCAL_FX_DELAY_MS: '0', LOCAL_PRICE_FEED_DELAY_MS: '0' });
  await waitFor(
    async () =>
      (await sql(`SELECT 1 FROM fee_accruals WHERE converted_at IS NULL`)).length === 0 &&
      (await sql(`SELECT 1 FROM fee_conversions WHERE status <> 'EXECUTED'`)).length === 0,
    30_000,
    { message: 'every fee converted' },
  );

  // Each paid invoice's fee is in exactly one executed conversion (accruals are keyed by invoice: one row each).
  const accruals = await sql<{ invoice_id: string; amount: string; currency: string; conversion_id: string | null; status: string | null }>(
    `SELECT a.invoice_id, a.amount::text AS amount, a.currency, a.conversion_id, c.status
       FROM fee_accruals a LEFT JOIN fee_conversions c ON c.id = a.conversion_id`,
  );
  const paid = [...usd.invoiceIds, ...eur.invoiceIds, ...jpy.invoiceIds, ...late.invoiceIds];
  expect(accruals.map((a) => a.invoice_id).sort()).toEqual([...paid].sort());
  for (const a of accruals) {
    if (Number(a.amount) === 0) expect(a.conversion_id).toBeNull();
    else expect(a.status).toBe('EXECUTED');
  }

  // The conversions' fees add up to the accrued fees, to the cent, per currency; and each conversion to its own invoices.
  const byCurrency = await sql(
    `SELECT currency, sum(amount)::text AS accrued,
            (SELECT sum(fees)::text FROM fee_conversions c WHERE c.currency = a.currency) AS converted
       FROM fee_accruals a GROUP BY currency ORDER BY currency`,
  );
  expect(byCurrency).toEqual([
    { currency: 'EUR', accrued: '10.85', converted: '10.85' },
    { currency: 'JPY', accrued: '150', converted: '150' },
    { currency: 'USD', accrued: '142.78', converted: '142.78' },
  ]);
  const conversions = await sql<{ id: string; currency: string; fees: string; invoice_count: number; claimed: string; n: number }>(
    `SELECT c.id, c.currency, c.fees::text AS fees, c.invoice_count, (SELECT sum(amount)::text FROM fee_accruals a WHERE a.conversion_id = c.id) AS claimed,
            (SELECT count(*)::int FROM fee_accruals a WHERE a.conversion_id = c.id) AS n
       FROM fee_conversions c ORDER BY c.claimed_at`,
  );
  expect(conversions).toHaveLength(4);
  for (const c of conversions) {
    expect(Number(c.claimed)).toBe(Number(c.fees));
    expect(c.n).toBe(c.invoice_count);
  }

  // One FX order per conversion, though the EUR one was asked for again after the first kill.
  const orders = await sql<{ reference: string }>(`SELECT reference FROM local_fx_conversions ORDER BY reference`);
  expect(orders.map((o) => o.reference)).toEqual(conversions.map((c) => c.id).sort());

  // Exactly one FeesConverted per conversion, carrying what was recorded.
  const events = await sql<{ message_key: string; payload: any }>(
    `SELECT message_key, envelope->'payload' AS payload FROM outbox WHERE type = 'FeesConverted' ORDER BY seq`,
  );
  expect(events.map((e) => e.message_key).sort()).toEqual(conversions.map((c) => c.id).sort());

  // The public API alone: sum(invoices.fee) = fees, fees x usdcRate = usdcAmount, usdcAmount / price = btrstBought (rounded down).
  const { feeConversions } = await stack.api.data<{ feeConversions: FeeConversionView[] }>(FEE_CONVERSIONS, { first: 10 });
  const shown = Object.fromEntries(
    feeConversions.map((c) => [
      `${c.fees.currency}:${c.fees.amount}`,
      { usdcAmount: c.usdcAmount, usdcRate: c.usdcRate, price: c.price, btrstBought: c.btrstBought, invoiceCount: c.invoiceCount, invoices: c.invoices.length },
    ]),
  );
  expect(shown).toEqual({
    'USD:134.01': { usdcAmount: '134.010000', usdcRate: '1', price: '0.3', btrstBought: '446.7', invoiceCount: 3, invoices: 3 },
    'EUR:10.85': { usdcAmount: '11.718000', usdcRate: '1.08', price: '0.3', btrstBought: '39.06', invoiceCount: 2, invoices: 2 },
    'JPY:150': { usdcAmount: '1.005000', usdcRate: '0.0067', price: '0.3', btrstBought: '3.35', invoiceCount: 1, invoices: 1 },
    // 8.77 / 0.3 = 29.2333...: rounded down at the 18th decimal.
    'USD:8.77': { usdcAmount: '8.770000', usdcRate: '1', price: '0.3', btrstBought: '29.233333333333333333', invoiceCount: 2, invoices: 2 },
  });
  for (const c of feeConversions) {
    const cents = c.invoices.reduce((sum, i) => sum + BigInt(i.fee.amount.replace('.', '')), 0n);
    expect(cents).toBe(BigInt(c.fees.amount.replace('.', '')));
    expect(c.invoices.every((i) => i.fee.currency === c.fees.currency)).toBe(true);
    const event = events.find((e) => e.message_key === c.id)!.payload;
    expect(event).toEqual({
      conversionId: c.id,
      fees: c.fees,
      usdcAmount: c.usdcAmount,
      price: c.price,
      btrstBought: c.btrstBought,
      invoiceCount: c.invoiceCount,
      executedAt: c.executedAt,
    });
  }
  // Newest first.
  const executed = feeConversions.map((c) => Date.parse(c.executedAt));
  expect(executed).toEqual([...executed].sort((a, b) => b - a));
  const lateConversion = feeConversions.find((c) => c.fees.amount === '8.77')!;
  expect(lateConversion.invoices.map((i) => i.invoiceId).sort()).toEqual([...late.invoiceIds].sort());

  // The dashboard's total agrees with the conversions.
  const { networkStats } = await stack.api.data<{ networkStats: { btrstBoughtBack: string; feeConversionCount: number } }>(
    `{ networkStats { btrstBoughtBack feeConversionCount } }`,
  );
  expect(networkStats).toEqual({ btrstBoughtBack: '518.343333333333333333', feeConversionCount: 4 });

  // Later runs find nothing more to do: still four conversions and four events.
  await new Promise((resolve) => setTimeout(resolve, 1500));
  expect(await sql(`SELECT count(*)::int AS n FROM fee_conversions`)).toEqual([{ n: 4 }]);
  expect(await sql(`SELECT count(*)::int AS n FROM outbox WHERE type = 'FeesConverted'`)).toEqual([{ n: 4 }]);
});

it('feeConversions takes first between 1 and 100', async () => {
  for (const first of [0, 101, -1]) {
    const res = await stack.api.request(FEE_CONVERSIONS, { first });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
  }
  const { feeConversions } = await stack.api.data<{ feeConversions: FeeConversionView[] }>(FEE_CONVERSIONS, { first: 1 });
  expect(feeConversions).toHaveLength(1);
});
