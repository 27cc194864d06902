/**
 * Governance's disputes applied to invoices, through payments' consumer path (inbox + handler)
 * on a real PostgreSQL: unpaid invoices held, a charge in flight and paid invoices left alone,
 * released FOR_TALENT or voided FOR_CLIENT, and redeliveries changing nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createEvent, DisputeOpened, DisputeResolved, type EventEnvelope } from '@talent/events';
import * as platform from '@talent/platform';
import { openServiceModule, type ServiceModule } from '@talent/testing';
import { PaymentsModule } from '../app.module';
import { PaymentsConfigSchema, type PaymentsConfig } from '../config';
import { isUnderDispute } from './contract-disputes';

/** Payments as production builds it (its module and consumer), on a fresh database. */
let payments: ServiceModule<PaymentsConfig, typeof platform>;

const sql = <T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]> => payments.sql<T>(text, params);
const deliver = (envelope: EventEnvelope) => payments.deliver(envelope);

beforeAll(async () => {
  payments = await openServiceModule({
    platform,
    service: 'payments',
    label: 'disputes',
    configSchema: PaymentsConfigSchema,
    module: (config) => PaymentsModule.register(config),
    env: { PLATFORM_FEE_RATE: '0.10', PAYMENT_WEBHOOK_SECRET: `whsec_${randomBytes(32).toString('base64')}` },
  });
});

afterAll(async () => {
  await payments?.close();
});

afterEach(() => {
  expect(payments.deadLetters).toEqual([]);
});

/** A contract with one invoice in each of these statuses; returns the ids. */
async function contractWith(statuses: string[]): Promise<{ contractId: string; talentId: string; clientId: string; invoices: string[] }> {
  const [contractId, talentId, clientId] = [randomUUID(), randomUUID(), randomUUID()];
  await sql(
    `INSERT INTO contracts (id, talent_id, client_id, rate, rate_unit, currency, status, started_at) VALUES ($1, $2, $3, 100, 'FIXED', 'USD', 'ACTIVE', now())`,
    [contractId, talentId, clientId],
  );
  const invoices: string[] = [];
  for (const status of statuses) {
    const id = randomUUID();
    const approved = status === 'SUBMITTED' ? null : new Date();
    await sql(
      `INSERT INTO invoices (id, contract_id, talent_id, client_id, description, subtotal, platform_fee, fee_rate, total, currency, status, provider_reference, failure_reason, created_at, approved_at, paid_at)
       VALUES ($1, $2, $3, $4, 'Milestone', 100, 10, 0.1, 110, 'USD', $5, $6, $7, now(), $8, $9)`,
      [
        id,
        contractId,
        talentId,
        clientId,
        status,
        status === 'PAID' ? `ch_${id}` : null,
        status === 'FAILED' ? 'card_declined' : null,
        approved,
        status === 'PAID' ? new Date() : null,
      ],
    );
    invoices.push(id);
  }
  return { contractId, talentId, clientId, invoices };
}
const statusesOf = async (invoices: string[]) =>
  (await sql<{ id: string; status: string }>(`SELECT id, status FROM invoices WHERE id = ANY($1)`, [invoices]))
    .sort((a, b) => invoices.indexOf(a.id) - invoices.indexOf(b.id))
    .map((r) => r.status);
const opened = (c: { contractId: string; talentId: string; clientId: string }, disputeId = randomUUID()) =>
  createEvent(DisputeOpened, {
    disputeId,
    contractId: c.contractId,
    openedBy: c.clientId,
    talentId: c.talentId,
    clientId: c.clientId,
    openedAt: new Date().toISOString(),
  }) as EventEnvelope;
const resolved = (contractId: string, disputeId: string, decision: 'FOR_TALENT' | 'FOR_CLIENT') =>
  createEvent(DisputeResolved, { disputeId, contractId, decision, majorityJurorIds: [randomUUID()], resolvedAt: new Date().toISOString() }) as EventEnvelope;
const underDispute = (contractId: string) => payments.dataSource.transaction((tx) => isUnderDispute(tx, contractId));

describe('dispute events', () => {
  it('hold the unpaid invoices (SUBMITTED, FAILED) as DISPUTED, leave a charge in flight and paid ones alone, and void them FOR_CLIENT', async () => {
    const c = await contractWith(['SUBMITTED', 'FAILED', 'APPROVED', 'PAID']);
    const other = await contractWith(['SUBMITTED']);
    const event = opened(c);
    const disputeId = (event.payload as { disputeId: string }).disputeId;
    await deliver(event);
    expect(await statusesOf(c.invoices)).toEqual(['DISPUTED', 'DISPUTED', 'APPROVED', 'PAID']);
    expect(await statusesOf(other.invoices)).toEqual(['SUBMITTED']);
    expect(await underDispute(c.contractId)).toBe(true);
    expect(await underDispute(other.contractId)).toBe(false);

    await deliver(resolved(c.contractId, disputeId, 'FOR_CLIENT'));
    expect(await statusesOf(c.invoices)).toEqual(['VOIDED', 'VOIDED', 'APPROVED', 'PAID']);
    expect(await underDispute(c.contractId)).toBe(false);
    expect(await sql(`SELECT status, decision FROM contract_disputes WHERE dispute_id = $1`, [disputeId])).toEqual([
      { status: 'RESOLVED', decision: 'FOR_CLIENT' },
    ]);
  });

  it('release them FOR_TALENT (back to SUBMITTED: approvable); a redelivered or re-published event changes nothing', async () => {
    const c = await contractWith(['SUBMITTED', 'FAILED']);
    const event = opened(c);
    const disputeId = (event.payload as { disputeId: string }).disputeId;
    await deliver(event);
    await deliver(event);
    await deliver(createEvent(DisputeOpened, event.payload as never) as EventEnvelope);
    expect(await statusesOf(c.invoices)).toEqual(['DISPUTED', 'DISPUTED']);
    const verdict = resolved(c.contractId, disputeId, 'FOR_TALENT');
    await deliver(verdict);
    expect(await statusesOf(c.invoices)).toEqual(['SUBMITTED', 'SUBMITTED']);
    // A late copy of the opening, or another verdict for the same dispute, does not hold or void them again.
    await deliver(createEvent(DisputeOpened, event.payload as never) as EventEnvelope);
    await deliver(resolved(c.contractId, disputeId, 'FOR_CLIENT'));
    expect(await statusesOf(c.invoices)).toEqual(['SUBMITTED', 'SUBMITTED']);
  });

  it('keep the invoice rules in the database: VOIDED is a status, and an unapproved invoice may be DISPUTED or VOIDED but not PAID', async () => {
    const c = await contractWith(['SUBMITTED']);
    await sql(`UPDATE invoices SET status = 'VOIDED' WHERE id = $1`, [c.invoices[0]]);
    await expect(sql(`UPDATE invoices SET status = 'CANCELLED' WHERE id = $1`, [c.invoices[0]])).rejects.toThrow(/check/);
    await expect(sql(`UPDATE invoices SET status = 'APPROVED' WHERE id = $1`, [c.invoices[0]])).rejects.toThrow(/invoices_approved_check/);
  });
});
