/**
 * Fee buybacks on a real PostgreSQL, through the consumer path: payments' FeesConverted credits
 * the DAO treasury exactly the BTRST bought, from the `market` account, once per conversion.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, DeadLetterHeaders, FeesConverted, Topics, type EventEnvelope } from '@talent/events';
import { assertLedgerConsistent, balanceOf, openRewards, type RewardsHarness } from '../../test/harness';
import { SystemAccounts } from '../ledger/accounts';
import { toUnits } from '@talent/platform';

let h: RewardsHarness;

beforeAll(async () => {
  h = await openRewards('treasury');
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const converted = (btrstBought: string, conversionId = randomUUID()) =>
  createEvent(FeesConverted, {
    conversionId,
    fees: { amount: '120.50', currency: 'USD' },
    usdcAmount: '120.5',
    price: '3.003',
    btrstBought,
    invoiceCount: 3,
    executedAt: new Date().toISOString(),
  });

const treasury = () => balanceOf(h, SystemAccounts.treasury.id);
const market = () => balanceOf(h, SystemAccounts.market.id);
const credits = async (conversionId: string) =>
  (
    await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'TreasuryCredited' AND envelope->'payload'->>'reference' = $1 ORDER BY seq`, [
      conversionId,
    ])
  ).map((r) => r.p);
const entries = (conversionId: string) => h.sql(`SELECT kind, reason, idempotency_key FROM ledger_transactions WHERE reference = $1`, [conversionId]);
/** The dead letters of this test, emptied (the afterEach expects none left). */
const takeDeadLetters = () =>
  h.deadLetters.splice(0).map((record) => {
    const { topic, messages } = record as { topic: string; messages: Array<{ headers: Record<string, string> }> };
    return { topic, failure: messages[0].headers[DeadLetterHeaders.failure], reason: messages[0].headers[DeadLetterHeaders.reason] };
  });

describe('fee buyback', () => {
  it('credits the treasury exactly the BTRST bought, from the market account (TreasuryCredited FEE_CONVERSION)', async () => {
    const [treasuryBefore, marketBefore, supplyBefore] = [await treasury(), await market(), await h.core.supply.supply()];
    const event = converted('40.123456789012345678');
    await h.deliver(event);

    expect(toUnits(await treasury()) - toUnits(treasuryBefore)).toBe(toUnits('40.123456789012345678'));
    expect(toUnits(await market()) - toUnits(marketBefore)).toBe(-toUnits('40.123456789012345678'));
    const { conversionId } = event.payload;
    expect(await entries(conversionId)).toEqual([
      { kind: 'TREASURY_BUYBACK', reason: 'treasury.buyback', idempotency_key: `treasury.buyback:${conversionId}` },
    ]);
    const [treasuryPosting] = await h.sql(
      `SELECT p.id FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id WHERE t.reference = $1 AND p.account_id = $2`,
      [conversionId, SystemAccounts.treasury.id],
    );
    expect(await credits(conversionId)).toEqual([
      { entryId: treasuryPosting.id, amount: '40.123456789012345678', source: 'FEE_CONVERSION', reference: conversionId, creditedAt: expect.any(String) },
    ]);
    // The supply stays truthful: the cap is what genesis minted, the treasury shows what it holds.
    const supply = await h.core.supply.supply();
    expect(supply.cap).toBe('250000000');
    expect(supply).toEqual({ ...supplyBefore, treasuryBalance: await treasury() });
    await assertLedgerConsistent(h);
  });

  it('a redelivered event, a replay under a new event id, and two copies at once credit once', async () => {
    const first = converted('7.5');
    const { conversionId } = first.payload;
    const before = await treasury();
    await h.deliver(first);
    await h.deliver(first);
    await h.deliver(createEvent(FeesConverted, first.payload));
    expect(toUnits(await treasury()) - toUnits(before)).toBe(toUnits('7.5'));
    expect(await entries(conversionId)).toHaveLength(1);
    expect(await credits(conversionId)).toHaveLength(1);

    // Two copies of another conversion under different ids, applied concurrently: the ledger key lets one through.
    const other = converted('2.25');
    const copies = [other, createEvent(FeesConverted, other.payload), createEvent(FeesConverted, other.payload)];
    await Promise.all(copies.map((copy) => h.deliver(copy)));
    expect(toUnits(await treasury()) - toUnits(before)).toBe(toUnits('9.75'));
    expect(await entries(other.payload.conversionId)).toHaveLength(1);
    expect(await credits(other.payload.conversionId)).toHaveLength(1);
    await assertLedgerConsistent(h);
  });

  it('dead-letters a FeesConverted not from payments, or not on the payments topic, and credits nothing', async () => {
    const before = await treasury();
    const genuine = converted('1000');
    const forged: EventEnvelope = { ...genuine, id: randomUUID(), source: 'rewards' };
    await h.deliver(forged);
    await h.deliver({ ...genuine, id: randomUUID(), source: 'governance' }, Topics.payments);
    // The right source, sent on another service's topic (e.g. a compromised producer of jobs).
    await h.deliver({ ...genuine, id: randomUUID() }, Topics.jobs);

    expect(takeDeadLetters()).toEqual([
      { topic: `${h.topic(Topics.payments)}.dlq`, failure: 'forged', reason: expect.stringContaining('must come from payments') },
      { topic: `${h.topic(Topics.payments)}.dlq`, failure: 'forged', reason: expect.stringContaining('must come from payments') },
      { topic: `${h.topic(Topics.jobs)}.dlq`, failure: 'forged', reason: expect.stringContaining(`published on ${h.topic(Topics.payments)} only`) },
    ]);
    expect(await treasury()).toBe(before);
    expect(await entries(genuine.payload.conversionId)).toEqual([]);
    expect(await credits(genuine.payload.conversionId)).toEqual([]);
  });

  it('ignores a conversion that bought no BTRST (nothing to credit, nothing to fix)', async () => {
    const before = await treasury();
    const nothing = converted('0.000000000000000000');
    await h.deliver(nothing);
    expect(await treasury()).toBe(before);
    expect(await entries(nothing.payload.conversionId)).toEqual([]);
    expect(await credits(nothing.payload.conversionId)).toEqual([]);
    // Applied (in the inbox), not dead-lettered: the afterEach checks there is no dead letter.
    expect(await h.sql(`SELECT type FROM inbox WHERE event_id = $1`, [nothing.id])).toEqual([{ type: 'FeesConverted' }]);
  });

  it('refuses for good an amount that breaks the contract (negative, over 18 decimals), crediting nothing', async () => {
    const before = await treasury();
    const negative = converted('-5');
    const tooPrecise = converted('1.0000000000000000001');
    await h.deliver(negative);
    await h.deliver(tooPrecise);
    expect(takeDeadLetters()).toEqual([
      { topic: `${h.topic(Topics.payments)}.dlq`, failure: 'permanent', reason: expect.stringContaining('out of range') },
      { topic: `${h.topic(Topics.payments)}.dlq`, failure: 'permanent', reason: expect.stringContaining('at most 18 decimals') },
    ]);
    expect(await treasury()).toBe(before);
    for (const e of [negative, tooPrecise]) expect(await entries(e.payload.conversionId)).toEqual([]);
  });

  it('answers the treasury credit of a conversion (FeeConversion.treasuryCredit), null before it', async () => {
    const event = converted('12.000000000000000001');
    expect(await h.core.treasury.creditFor(event.payload.conversionId)).toBeNull();
    await h.deliver(event);
    const [published] = await credits(event.payload.conversionId);
    expect(await h.core.treasury.creditFor(event.payload.conversionId)).toEqual({
      entryId: published.entryId,
      amount: '12.000000000000000001',
      creditedAt: new Date(published.creditedAt),
    });
  });
});

describe('market account', () => {
  it('holds minus everything bought back; only genesis and market may go negative', async () => {
    const [{ bought }] = await h.sql(
      `SELECT COALESCE(sum(p.amount), 0)::text AS bought FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id
        WHERE t.kind = 'TREASURY_BUYBACK' AND p.account_id = $1`,
      [SystemAccounts.treasury.id],
    );
    expect(toUnits(bought)).toBeGreaterThan(0n);
    expect(toUnits(await market())).toBe(-toUnits(bought));

    const negativeOk = await h.sql(`SELECT code FROM ledger_accounts WHERE may_go_negative ORDER BY code`);
    expect(negativeOk).toEqual([{ code: 'genesis' }, { code: 'market' }]);
    await expect(h.sql(`UPDATE ledger_accounts SET may_go_negative = true WHERE id = $1`, [SystemAccounts.treasury.id])).rejects.toMatchObject({
      driverError: { code: '23514', constraint: 'ledger_accounts_may_go_negative' },
    });
    await assertLedgerConsistent(h);
  });
});
