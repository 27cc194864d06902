import { approveAndSettle, makeMember, registerPersona, signInAdmin, startStack, waitFor, type GraphQLClient, type Persona, type Stack } from '@talent/testing';
import { toUnits } from '@talent/platform';

/*
 * Fees -> USDC -> BTRST -> the DAO treasury, checked from the public API alone, through the
 * gateway on the real stack (identity, jobs, payments, rewards as processes, Kafka between them):
 * paid invoices move networkStats by exactly their totals; the buyback lists exactly which
 * invoices' fees it converted; the treasury grows by exactly the BTRST bought.
 */
jest.setTimeout(180_000);

const STATS = `{ networkStats { grossServiceValue { amount currency } feesCollected { amount currency } btrstBoughtBack activeContracts paidInvoices averageProjectSize { amount currency } } }`;
const CONVERSIONS = `{ feeConversions(first: 50) { id fees { amount currency } usdcAmount usdcRate btrstBought price executedAt invoiceCount
  invoices { invoiceId fee { amount currency } paidAt } treasuryCredit { entryId amount creditedAt } } }`;
const SUPPLY = `{ tokenSupply { treasuryBalance } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($jobId: ID!, $rate: MoneyInput!) { applyToJob(jobId: $jobId, coverLetter: "I can do this.", proposedRate: $rate) { id } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id } }`;
const SUBMIT = `mutation ($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { id subtotal { amount } platformFee { amount } total { amount currency } } }`;

describe('fees to the treasury, visible on the public dashboard', () => {
  let stack: Stack;
  let client: Persona;
  let talent: Persona;

  beforeAll(async () => {
    stack = await startStack({
      services: ['jobs', 'payments', 'rewards'],
      env: {
        payments: {
          USD_RATES: 'EUR=1.08',
          BUYBACK_USDC_RATES: 'USD=1,EUR=1.08',
          BTRST_PRICE_USDC: '0.25',
          FEE_CONVERSION_INTERVAL_MS: '1000',
        },
      },
    });
    const admin = await signInAdmin(stack);
    [client, talent] = await Promise.all([registerPersona(stack, ['CLIENT'], 'Client Cleo'), registerPersona(stack, ['TALENT'], 'Talent Theo')]);
    await Promise.all([makeMember(stack, client, admin), makeMember(stack, talent, admin)]);
    await waitFor(
      async () => (await stack.services.jobs.sql('SELECT count(*)::int AS n FROM members WHERE user_id = ANY($1)', [[client.id, talent.id]]))[0].n === 2,
      30_000,
      {
        message: 'jobs knows both members',
      },
    );
  });

  afterAll(async () => {
    await stack?.stop();
  });

  const hire = async (currency: string, unit: 'HOURLY' | 'FIXED', rate: string): Promise<string> => {
    const { postJob } = await client.api.data<{ postJob: { id: string } }>(POST_JOB, {
      input: {
        title: `${unit} work paid in ${currency}`,
        description: 'Build the buyback dashboard for the network.',
        skills: ['typescript'],
        minYearsExperience: 1,
        countries: [],
        budget: { min: { amount: '1', currency }, max: { amount: '5000', currency }, unit },
        hoursPerWeek: 20,
        durationWeeks: 4,
      },
    });
    const { applyToJob } = await talent.api.data<{ applyToJob: { id: string } }>(APPLY, { jobId: postJob.id, rate: { amount: rate, currency } });
    const contract = (await client.api.data<{ hire: { id: string } }>(HIRE, { id: applyToJob.id })).hire.id;
    await waitFor(async () => (await stack.services.payments.sql('SELECT 1 FROM contracts WHERE id = $1', [contract])).length > 0, 30_000, {
      message: 'payments knows the contract',
    });
    return contract;
  };
  const stats = async (api: GraphQLClient) => (await api.data<{ networkStats: any }>(STATS)).networkStats;
  const treasury = async () => (await stack.api.data<{ tokenSupply: { treasuryBalance: string } }>(SUPPLY)).tokenSupply.treasuryBalance;

  it('moves networkStats by exactly the paid totals and credits the treasury with exactly the BTRST bought', async () => {
    // Anonymous: the dashboard is public.
    const before = await stats(stack.api);
    const treasuryBefore = await treasury();
    expect(before.grossServiceValue.currency).toBe('USD');

    const usdContract = await hire('USD', 'HOURLY', '80');
    const eurContract = await hire('EUR', 'FIXED', '500');
    // 10 h x 80.00 = 800.00 + 80.00 fee = 880.00 USD; 500.00 + 50.00 fee = 550.00 EUR (594.00 USD, fee 54.00 USD at 1.08).
    const usd = (await talent.api.data<{ submitInvoice: any }>(SUBMIT, { input: { contractId: usdContract, description: 'Week 1', hours: 10 } })).submitInvoice;
    const eur = (
      await talent.api.data<{ submitInvoice: any }>(SUBMIT, {
        input: { contractId: eurContract, description: 'Milestone 1', amount: { amount: '500', currency: 'EUR' } },
      })
    ).submitInvoice;
    expect([usd.total, eur.total]).toEqual([
      { amount: '880.00', currency: 'USD' },
      { amount: '550.00', currency: 'EUR' },
    ]);
    // Submitted is not paid: nothing moves yet.
    expect((await stats(stack.api)).paidInvoices).toBe(before.paidInvoices);

    expect(await approveAndSettle(client.api, usd.id, 'buyback-usd-0001')).toBe('PAID');
    expect(await approveAndSettle(client.api, eur.id, 'buyback-eur-0001')).toBe('PAID');

    const after = await stats(talent.api);
    expect(after.paidInvoices).toBe(before.paidInvoices + 2);
    expect(toUnits(after.grossServiceValue.amount) - toUnits(before.grossServiceValue.amount)).toBe(toUnits('880.00') + toUnits('594.00'));
    expect(toUnits(after.feesCollected.amount) - toUnits(before.feesCollected.amount)).toBe(toUnits('80.00') + toUnits('54.00'));
    expect(after.activeContracts).toBe(before.activeContracts + 2);

    // The buyback (every second here) converts each currency's fees: listed invoice by invoice.
    const conversions = await waitFor(
      async () => {
        const { feeConversions } = await stack.api.data<{ feeConversions: any[] }>(CONVERSIONS);
        const mine = feeConversions.filter((c) => c.invoices.some((i: { invoiceId: string }) => i.invoiceId === usd.id || i.invoiceId === eur.id));
        return mine.length === 2 && mine.every((c) => c.treasuryCredit) ? mine : null;
      },
      60_000,
      { message: 'both fees converted and credited to the treasury' },
    );
    const usdConversion = conversions.find((c) => c.fees.currency === 'USD');
    const eurConversion = conversions.find((c) => c.fees.currency === 'EUR');
    expect(usdConversion).toMatchObject({ fees: { amount: '80.00' }, usdcAmount: '80.000000', price: '0.25', btrstBought: '320', invoiceCount: 1 });
    expect(usdConversion.invoices).toEqual([{ invoiceId: usd.id, fee: { amount: '80.00', currency: 'USD' }, paidAt: expect.any(String) }]);
    expect(eurConversion).toMatchObject({ fees: { amount: '50.00' }, usdcRate: '1.08', usdcAmount: '54.000000', btrstBought: '216', invoiceCount: 1 });
    for (const conversion of conversions) expect(toUnits(conversion.treasuryCredit.amount)).toBe(toUnits(conversion.btrstBought));

    // The treasury grows by exactly the BTRST bought (nothing else credits it in this test), and the dashboard says so.
    const bought = conversions.reduce((sum, c) => sum + toUnits(c.btrstBought), 0n);
    await waitFor(async () => toUnits(await treasury()) - toUnits(treasuryBefore) === bought, 30_000, { message: 'treasury balance reflects the buyback' });
    const final = await stats(stack.api);
    expect(toUnits(final.btrstBoughtBack) - toUnits(before.btrstBoughtBack)).toBe(bought);
  });
});
