/**
 * Invoices and payments through the gateway on the real stack (identity, jobs, payments and the
 * gateway as processes): contracts come from jobs' ContractStarted events over Kafka.
 */
import { errorCode, signInAdmin, startStack, waitFor, type Persona, type Stack } from '@talent/testing';
import { chargesOf, hiredContract, member, outboxOf, paymentsSql } from './helpers';

const INVOICE_FIELDS = `id description hours status feeRate createdAt paidAt
  subtotal { amount currency } platformFee { amount currency } total { amount currency }
  contract { id status }`;
const SUBMIT = `mutation ($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { ${INVOICE_FIELDS} } }`;
const APPROVE = `mutation ($id: ID!, $key: String!) { approveInvoice(invoiceId: $id, idempotencyKey: $key) { id status paidAt total { amount } } }`;
const INVOICE = `query ($id: ID!) { invoice(id: $id) { id status total { amount } contract { id } } }`;
const CONTRACT_INVOICES = `query ($id: ID!) { contract(id: $id) { id status invoices { id total { amount } status } } }`;

let stack: Stack;
let admin: Persona;
let client: Persona;
let talent: Persona;
let stranger: Persona;
let hourly: string;
let fixed: string;

beforeAll(async () => {
  stack = await startStack({ services: ['jobs', 'payments'] });
  admin = await signInAdmin(stack);
  [client, talent, stranger] = await Promise.all([
    member(stack, admin, ['CLIENT'], 'Client Cleo'),
    member(stack, admin, ['TALENT'], 'Talent Theo'),
    member(stack, admin, ['TALENT', 'CLIENT'], 'Stranger Sam'),
  ]);
  hourly = await hiredContract(stack, client.api, talent.api, 'HOURLY', '80');
  fixed = await hiredContract(stack, client.api, talent.api, 'FIXED', '2000');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

const submit = (who: Persona, input: Record<string, unknown>) => who.api.request(SUBMIT, { input });
const hourlyInvoice = async (hours = 10.5, description = 'Week 1: API design') =>
  (await talent.api.data<{ submitInvoice: { id: string } }>(SUBMIT, { input: { contractId: hourly, description, hours } })).submitInvoice;

describe('submitInvoice', () => {
  it('prices an hourly invoice: 10.5 h x 80.00 = 840.00, fee 84.00 at 0.10, total 924.00', async () => {
    const res = await submit(talent, { contractId: hourly, description: '  Week 1: API design ', hours: 10.5 });
    expect(res.errors).toBeUndefined();
    const invoice = res.data!.submitInvoice;
    expect(invoice).toMatchObject({
      description: 'Week 1: API design',
      hours: 10.5,
      status: 'SUBMITTED',
      feeRate: '0.10',
      subtotal: { amount: '840.00', currency: 'USD' },
      platformFee: { amount: '84.00', currency: 'USD' },
      total: { amount: '924.00', currency: 'USD' },
      paidAt: null,
      // Composed: jobs resolves the contract's status.
      contract: { id: hourly, status: 'ACTIVE' },
    });
    const [row] = await paymentsSql(stack, 'SELECT subtotal::text, platform_fee::text, fee_rate::text, total::text FROM invoices WHERE id = $1', [invoice.id]);
    expect(row).toEqual({ subtotal: '840.00', platform_fee: '84.00', fee_rate: '0.1000', total: '924.00' });
    const events = await outboxOf(stack, invoice.id);
    expect(events.map((e) => e.type)).toEqual(['InvoiceSubmitted']);
    expect(events[0].payload).toMatchObject({ contractId: hourly, talentId: talent.id, clientId: client.id, feeRate: '0.10', total: { amount: '924.00', currency: 'USD' } });
  });

  it('takes a fixed invoice at its amount', async () => {
    const res = await submit(talent, { contractId: fixed, description: 'Milestone 1', amount: { amount: '500', currency: 'usd' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitInvoice).toMatchObject({
      hours: null,
      subtotal: { amount: '500.00' },
      platformFee: { amount: '50.00' },
      total: { amount: '550.00' },
    });
  });

  it.each([
    ['an amount on an HOURLY contract', () => ({ contractId: hourly, description: 'Week 2', hours: 2, amount: { amount: '10', currency: 'USD' } }), 'amount'],
    ['no hours on an HOURLY contract', () => ({ contractId: hourly, description: 'Week 2' }), 'hours'],
    ['negative hours', () => ({ contractId: hourly, description: 'Week 2', hours: -3 }), 'hours'],
    ['more than 168 hours', () => ({ contractId: hourly, description: 'Week 2', hours: 170 }), 'hours'],
    ['hours on a FIXED contract', () => ({ contractId: fixed, description: 'Milestone 2', hours: 3 }), 'hours'],
    ['a negative amount', () => ({ contractId: fixed, description: 'Milestone 2', amount: { amount: '-100', currency: 'USD' } }), 'amount.amount'],
    ['another currency', () => ({ contractId: fixed, description: 'Milestone 2', amount: { amount: '100', currency: 'EUR' } }), 'amount.currency'],
    ['a 2-character description', () => ({ contractId: hourly, description: 'ab', hours: 1 }), 'description'],
  ])('refuses %s (BAD_USER_INPUT)', async (_label, input, field) => {
    const res = await submit(talent, input());
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe(field);
  });

  it('lets only the contract talent submit: FORBIDDEN for a stranger and for the client', async () => {
    const input = { contractId: hourly, description: 'Not my work', hours: 1 };
    expect(errorCode(await submit(stranger, input))).toBe('FORBIDDEN');
    expect(errorCode(await submit(client, input))).toBe('FORBIDDEN');
    expect(errorCode(await stack.api.request(SUBMIT, { input }))).toBe('UNAUTHENTICATED');
  });

  it('answers NOT_FOUND for an unknown contract', async () => {
    const res = await submit(talent, { contractId: '00000000-0000-4000-8000-000000000000', description: 'Ghost work', hours: 1 });
    expect(errorCode(res)).toBe('NOT_FOUND');
  });
});

describe('approveInvoice', () => {
  it('charges the total once: PAID with paidAt; the same key again returns the same invoice without a new charge', async () => {
    const invoice = await hourlyInvoice();
    expect(errorCode(await talent.api.request(APPROVE, { id: invoice.id, key: 'talent-key-0001' }))).toBe('FORBIDDEN');
    expect(errorCode(await stranger.api.request(APPROVE, { id: invoice.id, key: 'stranger-key-01' }))).toBe('FORBIDDEN');
    expect(errorCode(await client.api.request(APPROVE, { id: invoice.id, key: 'short' }))).toBe('BAD_USER_INPUT');

    const first = (await client.api.data(APPROVE, { id: invoice.id, key: 'approve-key-0001' })).approveInvoice;
    expect(first).toMatchObject({ id: invoice.id, status: 'PAID', total: { amount: '924.00' } });
    expect(first.paidAt).toEqual(expect.any(String));

    const again = (await client.api.data(APPROVE, { id: invoice.id, key: 'approve-key-0001' })).approveInvoice;
    expect(again).toEqual(first);
    // Another key on a PAID invoice: the invoice as it is, no charge.
    const other = (await client.api.data(APPROVE, { id: invoice.id, key: 'approve-key-0002' })).approveInvoice;
    expect(other).toEqual(first);

    const charges = await chargesOf(stack, invoice.id);
    expect(charges).toEqual([{ id: expect.stringMatching(/^ch_/), status: 'SUCCEEDED', amount: '924.00' }]);
    expect(await paymentsSql(stack, 'SELECT amount::text, currency FROM fee_accruals WHERE invoice_id = $1', [invoice.id])).toEqual([{ amount: '84.00', currency: 'USD' }]);

    // InvoicePaid reaches Kafka through the outbox.
    const events = await waitFor(async () => {
      const rows = await outboxOf(stack, invoice.id);
      return rows.every((r) => r.published) && rows.length === 2 ? rows : null;
    }, 15_000, { message: 'InvoicePaid published' });
    expect(events.map((e) => e.type)).toEqual(['InvoiceSubmitted', 'InvoicePaid']);
    expect(events[1].payload).toMatchObject({
      invoiceId: invoice.id,
      subtotal: { amount: '840.00' },
      platformFee: { amount: '84.00' },
      total: { amount: '924.00' },
      providerReference: charges[0].id,
    });

    // The key names this invoice's attempt: reused on another invoice it is a CONFLICT.
    const second = await hourlyInvoice(1);
    expect(errorCode(await client.api.request(APPROVE, { id: second.id, key: 'approve-key-0001' }))).toBe('CONFLICT');
    expect(await chargesOf(stack, second.id)).toEqual([]);
  });

  it('records a declined charge (cents .13) as FAILED with PaymentFailed; a retry with a new key charges again', async () => {
    // 100.12 + 10.01 fee = 110.13: the local provider declines it.
    const { submitInvoice: invoice } = await talent.api.data(SUBMIT, {
      input: { contractId: fixed, description: 'Milestone declined', amount: { amount: '100.12', currency: 'USD' } },
    });
    expect(invoice.total.amount).toBe('110.13');
    const failed = (await client.api.data(APPROVE, { id: invoice.id, key: 'declined-key-01' })).approveInvoice;
    expect(failed).toMatchObject({ status: 'FAILED', paidAt: null });
    // Same key: the same outcome, no new charge.
    expect((await client.api.data(APPROVE, { id: invoice.id, key: 'declined-key-01' })).approveInvoice).toEqual(failed);
    expect((await chargesOf(stack, invoice.id)).map((c) => c.status)).toEqual(['DECLINED']);
    const events = await outboxOf(stack, invoice.id);
    expect(events.map((e) => e.type)).toEqual(['InvoiceSubmitted', 'PaymentFailed']);
    expect(events[1].payload).toMatchObject({ invoiceId: invoice.id, clientId: client.id, reason: 'card_declined' });

    // FAILED may be approved again with a new key (declined again: the local rule is by amount).
    const retried = (await client.api.data(APPROVE, { id: invoice.id, key: 'declined-key-02' })).approveInvoice;
    expect(retried.status).toBe('FAILED');
    expect((await chargesOf(stack, invoice.id)).map((c) => c.status)).toEqual(['DECLINED', 'DECLINED']);
    expect(await paymentsSql(stack, 'SELECT 1 FROM fee_accruals WHERE invoice_id = $1', [invoice.id])).toEqual([]);
  });

  it('recovers from a crash between the charge and its recording: the same key records the existing charge', async () => {
    const invoice = await hourlyInvoice(2, 'Crash recovery week');
    // State after a crash: attempt recorded (APPROVED, PENDING), provider charged, outcome never recorded.
    await paymentsSql(
      stack,
      `WITH a AS (
         INSERT INTO payment_attempts (id, invoice_id, idempotency_key, amount, currency, status)
         SELECT gen_random_uuid(), id, 'crash-key-0001', total, currency, 'PENDING' FROM invoices WHERE id = $1
       )
       UPDATE invoices SET status = 'APPROVED', approved_at = now() WHERE id = $1`,
      [invoice.id],
    );
    await paymentsSql(
      stack,
      `INSERT INTO provider_charges (id, idempotency_key, reference, amount, currency, status)
       VALUES ('ch_before_crash', $2, $1, '176.00', 'USD', 'SUCCEEDED')`,
      [invoice.id, `invoice:${invoice.id}:crash-key-0001`],
    );
    // Another key while the first attempt is in flight: CONFLICT (retry with the original key).
    expect(errorCode(await client.api.request(APPROVE, { id: invoice.id, key: 'crash-key-0002' }))).toBe('CONFLICT');

    const paid = (await client.api.data(APPROVE, { id: invoice.id, key: 'crash-key-0001' })).approveInvoice;
    expect(paid).toMatchObject({ status: 'PAID', total: { amount: '176.00' } });
    expect(await chargesOf(stack, invoice.id)).toEqual([{ id: 'ch_before_crash', status: 'SUCCEEDED', amount: '176.00' }]);
    const [row] = await paymentsSql(stack, 'SELECT provider_reference FROM invoices WHERE id = $1', [invoice.id]);
    expect(row.provider_reference).toBe('ch_before_crash');
  });
});

describe('reading invoices', () => {
  it('shows invoice(id) to the talent, the client and admins; FORBIDDEN for a stranger; null when unknown', async () => {
    const invoice = await hourlyInvoice(1, 'Visibility check');
    for (const who of [talent, client, admin]) {
      expect((await who.api.data(INVOICE, { id: invoice.id })).invoice).toMatchObject({ id: invoice.id, status: 'SUBMITTED', contract: { id: hourly } });
    }
    expect(errorCode(await stranger.api.request(INVOICE, { id: invoice.id }))).toBe('FORBIDDEN');
    expect((await talent.api.data(INVOICE, { id: '00000000-0000-4000-8000-000000000000' })).invoice).toBeNull();
  });

  it('composes contract(id) { invoices } across jobs and payments; FORBIDDEN for a stranger, and no invoices through the entity', async () => {
    for (const who of [talent, client, admin]) {
      const { contract } = await who.api.data(CONTRACT_INVOICES, { id: hourly });
      expect(contract.status).toBe('ACTIVE');
      expect(contract.invoices.length).toBeGreaterThanOrEqual(3);
      expect(contract.invoices[0]).toMatchObject({ total: { amount: '924.00' }, status: 'SUBMITTED' });
      expect(contract.invoices.map((i: { status: string }) => i.status)).toContain('PAID');
    }
    expect(errorCode(await stranger.api.request(CONTRACT_INVOICES, { id: hourly }))).toBe('FORBIDDEN');
    // Payments decides too (not only jobs' contract query): the entity field itself, straight at the subgraph.
    const entities = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Contract { invoices { id } } } }`;
    const subgraph = stack.subgraph('payments'); // signed as the gateway signs
    const representations = { r: [{ __typename: 'Contract', id: hourly }] };
    // An empty list rather than an error (which would wipe a whole list of contracts).
    for (const asked of [subgraph.withToken(stranger.accessToken), subgraph]) {
      const res = await asked.request<{ _entities: Array<{ invoices: unknown[] } | null> }>(entities, representations);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities[0]?.invoices ?? []).toEqual([]);
    }
    const own = await subgraph.withToken(client.accessToken).request(entities, representations);
    expect(own.errors).toBeUndefined();
    expect(own.data!._entities[0].invoices.length).toBeGreaterThanOrEqual(3);
  });

  it('still takes the final invoice once jobs completes the contract', async () => {
    await client.api.data(`mutation ($id: ID!) { completeContract(contractId: $id) { id } }`, { id: hourly });
    await waitFor(async () => (await paymentsSql(stack, `SELECT status FROM contracts WHERE id = $1`, [hourly]))[0]?.status === 'COMPLETED', 30_000, {
      message: 'payments learns the contract is completed',
    });
    const res = await submit(talent, { contractId: hourly, description: 'Final invoice', hours: 0.25 });
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitInvoice).toMatchObject({ total: { amount: '22.00' }, contract: { status: 'COMPLETED' } });
  });
});
