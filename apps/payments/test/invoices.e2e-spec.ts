/**
 * Invoices and payments through the gateway on the real stack (identity, jobs, payments and the
 * gateway as processes): contracts come from jobs' ContractStarted events over Kafka.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createEvent, ParameterChanged, type PayloadOf } from '@talent/events';
import { errorCode, signInAdmin, startStack, waitFor, type Persona, type Stack } from '@talent/testing';
import { chargesOf, hiredContract, invoiceStatus, member, outboxOf, paymentsSql, postProviderWebhook } from './helpers';

const INVOICE_FIELDS = `id description hours status feeRate createdAt paidAt
  subtotal { amount currency } platformFee { amount currency } total { amount currency }
  contract { id status }`;
const SUBMIT = `mutation ($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { ${INVOICE_FIELDS} } }`;
const APPROVE = `mutation ($id: ID!, $key: String!) { approveInvoice(invoiceId: $id, idempotencyKey: $key) { id status paidAt total { amount } } }`;
const INVOICE = `query ($id: ID!) { invoice(id: $id) { id status paidAt total { amount } contract { id } } }`;
const CONTRACT_INVOICES = `query ($id: ID!) { contract(id: $id) { id status invoices { id total { amount } status } } }`;

let stack: Stack;
let admin: Persona;
let client: Persona;
let talent: Persona;
let stranger: Persona;
let hourly: string;
let fixed: string;

beforeAll(async () => {
  stack = await startStack({
    services: ['jobs', 'payments'],
    // Short deadlines, so the timed-out and crashed approvals are swept within the test.
    env: { payments: { PAYMENT_PROVIDER_TIMEOUT_MS: '1500', APPROVAL_SWEEP_INTERVAL_MS: '500', APPROVAL_SWEEP_AFTER_MS: '3000' } },
  });
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
    expect(events[0].payload).toMatchObject({
      contractId: hourly,
      talentId: talent.id,
      clientId: client.id,
      feeRate: '0.10',
      total: { amount: '924.00', currency: 'USD' },
    });
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

  it('prices in each currency’s ISO 4217 minor units, rounding exact halves to even: JPY 0 decimals, KWD 3', async () => {
    const yen = await hiredContract(stack, client.api, talent.api, 'HOURLY', '1999', 'JPY');
    const dinar = await hiredContract(stack, client.api, talent.api, 'HOURLY', '12.125', 'KWD');
    // 10.5 h x ¥1999 = ¥20989.5 -> ¥20990 (the even neighbour); fee 10% = ¥2099.
    const jpy = await submit(talent, { contractId: yen, description: 'Yen week', hours: 10.5 });
    expect(jpy.data?.submitInvoice).toMatchObject({
      subtotal: { amount: '20990', currency: 'JPY' },
      platformFee: { amount: '2099' },
      total: { amount: '23089' },
    });
    // 1.5 h x 12.125 KWD = 18.1875 -> 18.188 (even); fee 1.8188 -> 1.819; total 20.007.
    const kwd = await submit(talent, { contractId: dinar, description: 'Dinar week', hours: 1.5 });
    expect(kwd.data?.submitInvoice).toMatchObject({
      subtotal: { amount: '18.188', currency: 'KWD' },
      platformFee: { amount: '1.819' },
      total: { amount: '20.007' },
    });
    // Read back as priced (the database keeps the minor units exactly).
    const read = await client.api.data(INVOICE, { id: kwd.data!.submitInvoice.id });
    expect(read.invoice.total).toEqual({ amount: '20.007' });
  });

  it('answers NOT_FOUND for an unknown contract', async () => {
    const res = await submit(talent, { contractId: '00000000-0000-4000-8000-000000000000', description: 'Ghost work', hours: 1 });
    expect(errorCode(res)).toBe('NOT_FOUND');
  });
});

describe('approveInvoice', () => {
  it('answers APPROVED at once and is confirmed by the provider’s signed webhook a moment later: PAID, charged once', async () => {
    const invoice = await hourlyInvoice();
    expect(errorCode(await talent.api.request(APPROVE, { id: invoice.id, key: 'talent-key-0001' }))).toBe('FORBIDDEN');
    expect(errorCode(await stranger.api.request(APPROVE, { id: invoice.id, key: 'stranger-key-01' }))).toBe('FORBIDDEN');
    expect(errorCode(await client.api.request(APPROVE, { id: invoice.id, key: 'short' }))).toBe('BAD_USER_INPUT');

    const first = (await client.api.data(APPROVE, { id: invoice.id, key: 'approve-key-0001' })).approveInvoice;
    expect(first).toMatchObject({ id: invoice.id, status: 'APPROVED', paidAt: null, total: { amount: '924.00' } });
    expect(await chargesOf(stack, invoice.id)).toEqual([{ id: expect.stringMatching(/^ch_/), status: 'PENDING', amount: '924.00' }]);

    await invoiceStatus(stack, invoice.id, 'PAID');
    const paid = (await client.api.data(INVOICE, { id: invoice.id })).invoice;
    expect(paid).toMatchObject({ status: 'PAID', total: { amount: '924.00' } });
    const again = (await client.api.data(APPROVE, { id: invoice.id, key: 'approve-key-0001' })).approveInvoice;
    expect(again).toMatchObject({ id: invoice.id, status: 'PAID', paidAt: expect.any(String) });
    // Another key on a PAID invoice: the invoice as it is, no charge.
    expect((await client.api.data(APPROVE, { id: invoice.id, key: 'approve-key-0002' })).approveInvoice).toEqual(again);

    const charges = await chargesOf(stack, invoice.id);
    expect(charges).toEqual([{ id: expect.stringMatching(/^ch_/), status: 'SUCCEEDED', amount: '924.00' }]);
    expect(await paymentsSql(stack, 'SELECT amount::text, currency FROM fee_accruals WHERE invoice_id = $1', [invoice.id])).toEqual([
      { amount: '84.00', currency: 'USD' },
    ]);
    // The webhook that confirmed it is in the inbox, applied once.
    expect(await paymentsSql(stack, 'SELECT type, outcome FROM provider_webhooks WHERE charge_id = $1', [charges[0].id])).toEqual([
      { type: 'charge.succeeded', outcome: 'applied' },
    ]);

    // InvoicePaid reaches Kafka through the outbox.
    const events = await waitFor(
      async () => {
        const rows = await outboxOf(stack, invoice.id);
        return rows.every((r) => r.published) && rows.length === 2 ? rows : null;
      },
      15_000,
      { message: 'InvoicePaid published' },
    );
    expect(events.map((e) => e.type)).toEqual(['InvoiceSubmitted', 'InvoicePaid']);
    expect(events[1].payload).toMatchObject({
      invoiceId: invoice.id,
      subtotal: { amount: '840.00' },
      platformFee: { amount: '84.00' },
      total: { amount: '924.00' },
      providerReference: charges[0].id,
    });

    // The key is bound to its request: the same key with another invoice is a CONFLICT that says so.
    const second = await hourlyInvoice(1);
    const reused = await client.api.request(APPROVE, { id: second.id, key: 'approve-key-0001' });
    expect(errorCode(reused)).toBe('CONFLICT');
    expect(reused.errors?.[0].message).toMatch(/already used for a different request/);
    expect(await chargesOf(stack, second.id)).toEqual([]);
    expect((await paymentsSql(stack, 'SELECT status FROM invoices WHERE id = $1', [second.id]))[0].status).toBe('SUBMITTED');
  });

  it('charges once when the same key is retried concurrently', async () => {
    const invoice = await hourlyInvoice(3, 'Concurrent retries week');
    const answers = await Promise.all(Array.from({ length: 8 }, () => client.api.request(APPROVE, { id: invoice.id, key: 'concurrent-key-01' })));
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.approveInvoice.id).toBe(invoice.id);
    }
    await invoiceStatus(stack, invoice.id, 'PAID');
    expect((await chargesOf(stack, invoice.id)).map((c) => c.status)).toEqual(['SUCCEEDED']);
    expect(await paymentsSql(stack, 'SELECT status FROM payment_attempts WHERE invoice_id = $1', [invoice.id])).toEqual([{ status: 'SUCCEEDED' }]);
  });

  it('records a declined charge (total ending in .13) as FAILED with PaymentFailed; a retry with a new key charges again', async () => {
    // 100.12 + 10.01 fee = 110.13: the local provider declines it.
    const { submitInvoice: invoice } = await talent.api.data(SUBMIT, {
      input: { contractId: fixed, description: 'Milestone declined', amount: { amount: '100.12', currency: 'USD' } },
    });
    expect(invoice.total.amount).toBe('110.13');
    expect((await client.api.data(APPROVE, { id: invoice.id, key: 'declined-key-01' })).approveInvoice.status).toBe('APPROVED');
    await invoiceStatus(stack, invoice.id, 'FAILED');
    // Same key: the same outcome, no new charge.
    const failed = (await client.api.data(APPROVE, { id: invoice.id, key: 'declined-key-01' })).approveInvoice;
    expect(failed).toMatchObject({ status: 'FAILED', paidAt: null });
    expect((await chargesOf(stack, invoice.id)).map((c) => c.status)).toEqual(['DECLINED']);
    const events = await outboxOf(stack, invoice.id);
    expect(events.map((e) => e.type)).toEqual(['InvoiceSubmitted', 'PaymentFailed']);
    expect(events[1].payload).toMatchObject({ invoiceId: invoice.id, clientId: client.id, reason: 'card_declined' });

    // FAILED may be approved again with a new key (declined again: the local rule is by amount).
    expect((await client.api.data(APPROVE, { id: invoice.id, key: 'declined-key-02' })).approveInvoice.status).toBe('APPROVED');
    await waitFor(async () => (await chargesOf(stack, invoice.id)).filter((c) => c.status === 'DECLINED').length === 2, 20_000, { message: 'second decline' });
    await invoiceStatus(stack, invoice.id, 'FAILED');
    expect(await paymentsSql(stack, 'SELECT 1 FROM fee_accruals WHERE invoice_id = $1', [invoice.id])).toEqual([]);
  });

  it('resolves a charge call that timed out and whose webhook was lost (total ending in .31) through the sweep: PAID once', async () => {
    // 100.28 + 10.03 fee = 110.31: the local provider makes the charge but never answers, and loses its webhook.
    const { submitInvoice: invoice } = await talent.api.data(SUBMIT, {
      input: { contractId: fixed, description: 'Milestone timing out', amount: { amount: '100.28', currency: 'USD' } },
    });
    expect(invoice.total.amount).toBe('110.31');
    const answer = (await client.api.data(APPROVE, { id: invoice.id, key: 'timeout-key-001' })).approveInvoice;
    expect(answer.status).toBe('APPROVED');
    await invoiceStatus(stack, invoice.id, 'PAID', 30_000);
    expect((await chargesOf(stack, invoice.id)).map((c) => c.status)).toEqual(['SUCCEEDED']);
    expect(
      await paymentsSql(stack, 'SELECT count(*)::int AS n FROM provider_webhooks w JOIN provider_charges c ON c.id = w.charge_id WHERE c.reference = $1', [
        invoice.id,
      ]),
    ).toEqual([{ n: 0 }]);
  });

  it('sweeps an approval that died before its charge: charged with the same key, once', async () => {
    const invoice = await hourlyInvoice(2, 'Crash before charge week');
    // State after a crash between step 1 and the provider call: APPROVED, attempt PENDING, no charge.
    await paymentsSql(
      stack,
      `WITH a AS (
         INSERT INTO payment_attempts (id, invoice_id, idempotency_key, amount, currency, status, created_at)
         SELECT gen_random_uuid(), id, 'died-key-00001', total, currency, 'PENDING', now() - interval '1 minute' FROM invoices WHERE id = $1
       )
       UPDATE invoices SET status = 'APPROVED', approved_at = now() WHERE id = $1`,
      [invoice.id],
    );
    await invoiceStatus(stack, invoice.id, 'PAID', 30_000);
    const charges = await paymentsSql(stack, 'SELECT idempotency_key, status FROM provider_charges WHERE reference = $1', [invoice.id]);
    expect(charges).toEqual([{ idempotency_key: `invoice:${invoice.id}:died-key-00001`, status: 'SUCCEEDED' }]);
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
      `INSERT INTO provider_charges (id, idempotency_key, reference, amount, currency, status, settled_at)
       VALUES ('ch_before_crash', $2, $1, '176.00', 'USD', 'SUCCEEDED', now())`,
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

describe('provider webhooks', () => {
  /** A charge.succeeded the provider never sent, for a charge that is really DECLINED. */
  const forgedSuccess = async () => {
    const { submitInvoice: invoice } = await talent.api.data(SUBMIT, {
      input: { contractId: fixed, description: 'Milestone to forge', amount: { amount: '200.12', currency: 'USD' } },
    });
    await client.api.data(APPROVE, { id: invoice.id, key: 'forge-key-0001' });
    await invoiceStatus(stack, invoice.id, 'FAILED');
    const [charge] = await chargesOf(stack, invoice.id);
    const body = {
      type: 'charge.succeeded',
      data: {
        id: charge.id,
        idempotency_key: `invoice:${invoice.id}:forge-key-0001`,
        reference: invoice.id,
        amount: { amount: '220.13', currency: 'USD' },
        failure_reason: null,
      },
    };
    return { invoice, body };
  };

  it('refuses a bad signature and a stale timestamp (401, logged), and changes nothing', async () => {
    const { invoice, body } = await forgedSuccess();
    const wrongSecret = await postProviderWebhook(stack, { id: 'msg_forged_1', body, secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}` });
    expect(wrongSecret.status).toBe(401);
    const stale = await postProviderWebhook(stack, { id: 'msg_forged_2', body, timestamp: new Date(Date.now() - 6 * 60_000) });
    expect(stale.status).toBe(401);
    const unsigned = await postProviderWebhook(stack, { id: 'msg_forged_3', body, signature: 'v1,AAAA' });
    expect(unsigned.status).toBe(401);

    expect((await paymentsSql(stack, 'SELECT status FROM invoices WHERE id = $1', [invoice.id]))[0].status).toBe('FAILED');
    expect(await paymentsSql(stack, `SELECT 1 FROM provider_webhooks WHERE webhook_id LIKE 'msg_forged_%'`)).toEqual([]);
    const refusals = stack.services.payments.process
      .output()
      .split('\n')
      .filter((line) => line.includes('provider webhook refused'));
    expect(refusals.map((line) => JSON.parse(line).reason)).toEqual(expect.arrayContaining(['No matching signature found', 'Message timestamp too old']));
  });

  it('ignores a replayed webhook: the same webhook-id is acknowledged and applied once', async () => {
    const invoice = await hourlyInvoice(4, 'Replay week');
    await client.api.data(APPROVE, { id: invoice.id, key: 'replay-key-0001' });
    await invoiceStatus(stack, invoice.id, 'PAID');
    const [charge] = await chargesOf(stack, invoice.id);
    const [delivered] = await paymentsSql(stack, 'SELECT webhook_id FROM provider_webhooks WHERE charge_id = $1', [charge.id]);
    const body = {
      type: 'charge.succeeded',
      data: {
        id: charge.id,
        idempotency_key: `invoice:${invoice.id}:replay-key-0001`,
        reference: invoice.id,
        amount: { amount: charge.amount, currency: 'USD' },
        failure_reason: null,
      },
    };
    const replay = await postProviderWebhook(stack, { id: delivered.webhook_id, body });
    expect(replay).toEqual({ status: 200, json: { outcome: 'replayed' } });
    // A new id for the same charge (a provider resending it): already recorded, nothing doubles.
    expect((await postProviderWebhook(stack, { id: 'msg_resent_1', body })).status).toBe(200);
    expect(await paymentsSql(stack, 'SELECT count(*)::int AS n FROM fee_accruals WHERE invoice_id = $1', [invoice.id])).toEqual([{ n: 1 }]);
    expect((await outboxOf(stack, invoice.id)).map((e) => e.type)).toEqual(['InvoiceSubmitted', 'InvoicePaid']);
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

describe('the partner projection of paid invoices', () => {
  it('puts invoice.paid on public.jobs.v1 with the job and the totals, never who paid or was paid', async () => {
    const paid = await paymentsSql(stack, `SELECT id FROM invoices WHERE status = 'PAID' AND contract_id = $1 ORDER BY paid_at LIMIT 1`, [hourly]);
    const [row] = await paymentsSql(stack, `SELECT envelope FROM outbox WHERE type = 'invoice.paid' AND envelope->'payload'->>'invoiceId' = $1`, [paid[0].id]);
    const [contract] = await stack.services.jobs.sql('SELECT job_id FROM contracts WHERE id = $1', [hourly]);
    expect(row.envelope).toMatchObject({
      type: 'invoice.paid',
      source: 'payments',
      aggregateId: contract.job_id,
      payload: { invoiceId: paid[0].id, jobId: contract.job_id, contractId: hourly, subtotal: { currency: 'USD' }, totalUsd: { currency: 'USD' } },
    });
    const text = JSON.stringify(row.envelope);
    for (const secret of [client.id, talent.id, client.email, talent.email, 'ch_', 'Week']) expect(text).not.toContain(secret);
  });
});

describe('the governed platform fee', () => {
  let kafka: Kafka;
  let producer: Producer;

  beforeAll(async () => {
    kafka = new Kafka({ clientId: 'payments-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
  });

  const announce = async (payload: PayloadOf<typeof ParameterChanged>, source = 'governance') => {
    const envelope = { ...createEvent(ParameterChanged, payload), source };
    await producer.send({ topic: stack.topic(ParameterChanged.topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });
    return envelope.id;
  };
  const feeRate = async () => (await paymentsSql(stack, `SELECT value FROM governed_parameters WHERE key = 'platform.feeRate'`))[0].value;

  it('applies ParameterChanged(platform.feeRate) to invoices submitted afterwards; earlier invoices keep their rate', async () => {
    const before = await hourlyInvoice(10, 'Before the vote');
    expect(await feeRate()).toBe('0.10');
    const now = Date.now();
    // A forged change (not from governance) is refused, then the real one applies.
    await announce(
      { proposalId: randomUUID(), key: 'platform.feeRate', value: '0.01', previousValue: '0.10', effectiveAt: new Date(now - 1000).toISOString() },
      'jobs',
    );
    await announce({ proposalId: randomUUID(), key: 'platform.feeRate', value: '0.08', previousValue: '0.10', effectiveAt: new Date(now).toISOString() });
    await waitFor(async () => (await feeRate()) === '0.08', 30_000, { message: 'payments applies the new fee rate' });
    // An invalid value changes nothing (dead-lettered); an older change arriving late never undoes the newer one.
    await announce({ proposalId: randomUUID(), key: 'platform.feeRate', value: '1.5', previousValue: '0.08', effectiveAt: new Date(now + 1000).toISOString() });
    const late = await announce({
      proposalId: randomUUID(),
      key: 'platform.feeRate',
      value: '0.12',
      previousValue: '0.10',
      effectiveAt: new Date(now - 60_000).toISOString(),
    });
    // One key, one partition: once the late change is in the inbox, the invalid one before it was handled too.
    await waitFor(async () => (await paymentsSql(stack, 'SELECT 1 FROM inbox WHERE event_id = $1', [late])).length > 0, 30_000, {
      message: 'the late change is consumed',
    });
    expect(await feeRate()).toBe('0.08');

    const after = (await talent.api.data(SUBMIT, { input: { contractId: hourly, description: 'After the vote', hours: 10 } })).submitInvoice;
    expect(after).toMatchObject({ feeRate: '0.08', subtotal: { amount: '800.00' }, platformFee: { amount: '64.00' }, total: { amount: '864.00' } });
    const earlier = (await client.api.data(`query ($id: ID!) { invoice(id: $id) { feeRate platformFee { amount } } }`, { id: before.id })).invoice;
    expect(earlier).toEqual({ feeRate: '0.10', platformFee: { amount: '80.00' } });
  });
});
