/**
 * Grants decided per consumed batch (one transaction for up to 100 events), tried as colluding
 * accounts would: packing many earning events into one batch must not slip past a cap, pay a
 * grant twice or overdraw the pool. Real PostgreSQL, the service's consumer path (handleBatch).
 */
import { randomUUID } from 'node:crypto';
import { createEvent, TalentScreened, type EventEnvelope, type PayloadOf } from '@talent/events';
import { inTransaction } from '@talent/platform';
import { addMember, assertLedgerConsistent, balanceOf, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { COMMUNITY_POOL, walletAccounts } from '../ledger/accounts';
import { toUnits } from '../ledger/decimal';

let h: RewardsHarness;

beforeAll(async () => {
  h = await openRewards('batched_grants', { poolSize: 6 });
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const screened = (inspectorId: string, talentId: string = randomUUID(), at = new Date()) =>
  createEvent(TalentScreened, { screeningId: randomUUID(), talentId, inspectorId, decision: 'APPROVED', screenedAt: at.toISOString() }, { occurredAt: at });
const republished = (envelope: EventEnvelope) => createEvent(TalentScreened, envelope.payload as PayloadOf<typeof TalentScreened>);
const grantsOf = (beneficiaryId: string) =>
  h.sql<{ status: string; refusal_reason: string | null; amount: string | null }>(
    `SELECT status, refusal_reason, amount::text AS amount FROM reward_grants WHERE beneficiary_id = $1 ORDER BY created_at`,
    [beneficiaryId],
  );
/** How many transactions wrote the events' inbox records. */
const transactionsOf = async (events: EventEnvelope[]) =>
  (await h.sql<{ n: number }>(`SELECT count(DISTINCT xmin::text)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`, [events.map((e) => e.id)]))[0].n;

describe('grants decided per batch', () => {
  it('one batch packed by an inspector and an accomplice pays no more than the daily cap, each talent once, each grant once', async () => {
    const inspector = await addMember(h);
    const accomplice = await addMember(h);
    const at = new Date();
    const talents = Array.from({ length: 14 }, () => randomUUID());
    const screenings = talents.map((talent) => screened(inspector, talent, at));
    const batch = [
      ...screenings,
      // Re-published under new ids, and redelivered as they were: the same grants again.
      ...screenings.slice(0, 3).map(republished),
      screenings[4],
      // The accomplice screens talents the inspector screened in this very batch: first decision only pays.
      ...talents.slice(0, 2).map((talent) => screened(accomplice, talent, at)),
    ];
    await h.deliverBatch(batch);

    expect(await transactionsOf(batch)).toBe(1); // applied together
    expect((await walletOf(h, inspector)).balance).toBe('250'); // 10 x 25: the daily cap
    const grants = await grantsOf(inspector);
    expect(grants.filter((g) => g.status === 'PAID')).toHaveLength(10);
    expect(grants.filter((g) => g.refusal_reason === 'DAILY_CAP')).toHaveLength(4);
    expect(grants).toHaveLength(14);
    expect(await grantsOf(accomplice)).toEqual([
      expect.objectContaining({ status: 'REFUSED', refusal_reason: 'ALREADY_REWARDED' }),
      expect.objectContaining({ status: 'REFUSED', refusal_reason: 'ALREADY_REWARDED' }),
    ]);
    expect((await walletOf(h, accomplice)).balance).toBe('0');

    // The whole batch again, redelivered: nothing more moves.
    await h.deliverBatch(batch);
    expect((await walletOf(h, inspector)).balance).toBe('250');
    expect(await grantsOf(inspector)).toHaveLength(14);
    await assertLedgerConsistent(h);
  });

  it('announces each paid grant once, with the wallet as it stands after it', async () => {
    const inspector = await addMember(h);
    const batch = Array.from({ length: 3 }, () => screened(inspector));
    await h.deliverBatch(batch);
    const events = await h.sql<{ type: string; balance: string | null }>(
      `SELECT type, envelope->'payload'->>'balance' AS balance FROM outbox
        WHERE envelope->'payload'->>'beneficiaryId' = $1 OR envelope->'payload'->>'userId' = $1 ORDER BY seq`,
      [inspector],
    );
    expect(events).toEqual([
      { type: 'RewardGranted', balance: null },
      { type: 'BalanceChanged', balance: '25' },
      { type: 'RewardGranted', balance: null },
      { type: 'BalanceChanged', balance: '50' },
      { type: 'RewardGranted', balance: null },
      { type: 'BalanceChanged', balance: '75' },
    ]);
  });

  it('when the pool cannot pay a whole batch, pays in order what it covers and refuses the rest whole; the pool never goes below zero', async () => {
    const whale = await addMember(h);
    // Leave exactly 60 BTRST in the pool.
    const drain = toUnits(await balanceOf(h, COMMUNITY_POOL.id)) - toUnits('60');
    await inTransaction(h.dataSource, (tx) =>
      h.core.ledger.post(tx, {
        kind: 'REWARD',
        reason: 'test.drain',
        reference: randomUUID(),
        idempotencyKey: `test.drain:${randomUUID()}`,
        postings: [
          { accountId: COMMUNITY_POOL.id, amount: -drain },
          { accountId: walletAccounts(whale).available, amount: drain },
        ],
      }),
    );
    const inspectors = await Promise.all(Array.from({ length: 3 }, () => addMember(h)));
    await h.deliverBatch(inspectors.map((inspector) => screened(inspector)));

    expect(await Promise.all(inspectors.map(async (i) => (await walletOf(h, i)).balance))).toEqual(['25', '25', '0']);
    expect(await grantsOf(inspectors[2])).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'POOL_EXHAUSTED' })]);
    expect(await balanceOf(h, COMMUNITY_POOL.id)).toBe('10');
    const announced = await h.sql(`SELECT 1 FROM outbox WHERE type = 'RewardGranted' AND envelope->'payload'->>'beneficiaryId' = $1`, [inspectors[2]]);
    expect(announced).toEqual([]);
    await assertLedgerConsistent(h);
  });
});
