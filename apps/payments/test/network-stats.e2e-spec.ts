/**
 * The public network dashboard through the gateway, anonymously, on the real stack: networkStats
 * from paid invoices (USD values fixed at payment), contracts and executed fee conversions; a
 * currency without a USD rate counted but not summed; a currency the FX side does not quote waits
 * (its conversion stays CLAIMED, shown nowhere).
 */
import { randomUUID } from 'node:crypto';
import { startStack, waitFor, type Stack } from '@talent/testing';
import { FEE_CONVERSIONS, paidContract, type FeeConversionView } from './fee-conversion.helpers';
import { paymentsSql } from './helpers';

jest.setTimeout(180_000);

const STATS = `{ networkStats { grossServiceValue { amount currency } feesCollected { amount currency } btrstBoughtBack activeContracts
  averageProjectSize { amount currency } paidInvoices unpricedPaidInvoices usdcConverted feeConversionCount } }`;

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    services: ['payments'],
    env: { payments: { FEE_CONVERSION_INTERVAL_MS: '500', BUYBACK_USDC_RATES: 'USD=1,EUR=1.08', BTRST_PRICE_USDC: '0.25' } },
  });
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const stats = async () => (await stack.api.data<{ networkStats: Record<string, unknown> }>(STATS)).networkStats;

it('starts empty: zero sums and no average project size', async () => {
  expect(await stats()).toEqual({
    grossServiceValue: { amount: '0.00', currency: 'USD' },
    feesCollected: { amount: '0.00', currency: 'USD' },
    btrstBoughtBack: '0',
    activeContracts: 0,
    averageProjectSize: null,
    paidInvoices: 0,
    unpricedPaidInvoices: 0,
    usdcConverted: '0.000000',
    feeConversionCount: 0,
  });
});

it('sums what clients paid in USD, averages per priced contract (half even) and shows the BTRST bought back', async () => {
  // A: 1100.01 + 550.00 USD paid; B: 110.00 EUR at 1.08 = 118.80 USD; C: paid in CHF, which has no USD rate; D: nothing paid yet.
  await paidContract(stack, 'USD', [
    { subtotal: '1000.01', fee: '100.00' },
    { subtotal: '500.00', fee: '50.00' },
  ]);
  await paidContract(stack, 'EUR', [{ subtotal: '100.00', fee: '10.00', usdRate: '1.08' }], 'COMPLETED');
  await paidContract(stack, 'CHF', [{ subtotal: '200.00', fee: '20.00', usdRate: null }]);
  const idle = await paidContract(stack, 'USD', []);
  // An invoice submitted but not paid counts nowhere.
  await paymentsSql(
    stack,
    `INSERT INTO invoices (id, contract_id, talent_id, client_id, description, subtotal, platform_fee, fee_rate, total, currency, status, created_at)
     SELECT $1, id, talent_id, client_id, 'Not paid yet', 300, 30, 0.1, 330, 'USD', 'SUBMITTED', now() FROM contracts WHERE id = $2`,
    [randomUUID(), idle.contractId],
  );

  // USD and EUR fees are bought back; CHF is not quoted by the FX side, so its conversion waits in CLAIMED.
  await waitFor(async () => (await paymentsSql(stack, `SELECT 1 FROM fee_conversions WHERE status = 'EXECUTED'`)).length === 2, 30_000, {
    message: 'USD and EUR fees converted',
  });
  expect(await paymentsSql(stack, `SELECT currency, status FROM fee_conversions WHERE status <> 'EXECUTED'`)).toEqual([{ currency: 'CHF', status: 'CLAIMED' }]);

  expect(await stats()).toEqual({
    // 1100.01 + 550.00 + 118.80
    grossServiceValue: { amount: '1768.81', currency: 'USD' },
    // 100.00 + 50.00 + 10.80
    feesCollected: { amount: '160.80', currency: 'USD' },
    // USD: 150 USDC / 0.25 = 600; EUR: 10.00 x 1.08 = 10.8 USDC / 0.25 = 43.2.
    btrstBoughtBack: '643.2',
    // A, C and D (B is COMPLETED).
    activeContracts: 3,
    // 1768.81 / 2 priced contracts = 884.405: half even -> 884.40 (half up would say 884.41).
    averageProjectSize: { amount: '884.40', currency: 'USD' },
    paidInvoices: 4,
    unpricedPaidInvoices: 1,
    usdcConverted: '160.800000',
    feeConversionCount: 2,
  });

  // Only executed conversions are public facts; the waiting CHF one is not listed.
  const { feeConversions } = await stack.api.data<{ feeConversions: FeeConversionView[] }>(FEE_CONVERSIONS, {});
  expect(feeConversions.map((c) => c.fees).sort((a, b) => a.currency.localeCompare(b.currency))).toEqual([
    { amount: '10.00', currency: 'EUR' },
    { amount: '150.00', currency: 'USD' },
  ]);
});

it('names no party in the public conversion list', async () => {
  const { feeConversions } = await stack.api.data<{ feeConversions: FeeConversionView[] }>(FEE_CONVERSIONS, {});
  expect(feeConversions.flatMap((c) => c.invoices)).toHaveLength(3);
  const shown = JSON.stringify(feeConversions);
  const parties = await paymentsSql<{ id: string }>(stack, `SELECT talent_id AS id FROM contracts UNION SELECT client_id FROM contracts`);
  expect(parties.length).toBeGreaterThan(0);
  for (const { id } of parties) expect(shown).not.toContain(id);
});
