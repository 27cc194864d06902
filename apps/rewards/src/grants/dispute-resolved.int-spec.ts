/**
 * The `jury.reward` policy through rewards' consumer path on a real PostgreSQL: governance's
 * DisputeResolved pays each majority juror from the community pool, once per (dispute, juror),
 * members only, within the policy's daily cap; nobody else.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, DisputeResolved, type EventEnvelope, type PayloadOf } from '@talent/events';
import { addMember, assertLedgerConsistent, balanceOf, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { COMMUNITY_POOL } from '../ledger/accounts';
import { toUnits } from '@talent/platform';

let h: RewardsHarness;

beforeAll(async () => {
  h = await openRewards('jury_reward');
});

afterAll(async () => {
  await h?.close();
});

afterEach(async () => {
  expect(h.deadLetters).toEqual([]);
  await assertLedgerConsistent(h);
});

const resolved = (majorityJurorIds: string[], overrides: Partial<PayloadOf<typeof DisputeResolved>> = {}) =>
  createEvent(DisputeResolved, {
    disputeId: randomUUID(),
    contractId: randomUUID(),
    decision: 'FOR_CLIENT',
    majorityJurorIds,
    resolvedAt: new Date().toISOString(),
    ...overrides,
  }) as EventEnvelope;
const juryGrantsOf = (beneficiaryId: string) =>
  h.sql(
    `SELECT reference, amount::text AS amount, status, refusal_reason FROM reward_grants WHERE policy_key = 'jury.reward' AND beneficiary_id = $1 ORDER BY earned_at, created_at`,
    [beneficiaryId],
  );

describe('jury.reward', () => {
  it('is a fixed-amount policy with daily and monthly caps, like the others', async () => {
    expect(
      await h.sql(
        `SELECT amount::text, cap_per_beneficiary_day::text AS day, cap_per_beneficiary_month::text AS month, active FROM reward_policies WHERE key = 'jury.reward'`,
      ),
    ).toEqual([{ amount: '20.000000000000000000', day: '100.000000000000000000', month: '400.000000000000000000', active: true }]);
  });

  it('pays each majority juror 20 BTRST from the community pool, once, whatever the redeliveries; the others get nothing', async () => {
    const [a, b, minority] = [await addMember(h), await addMember(h), await addMember(h)];
    const pool = toUnits(await balanceOf(h, COMMUNITY_POOL.id));
    const event = resolved([a, b]);
    await h.deliver(event);
    await h.deliver(event);
    // The same verdict re-published under a new event id: the grant's unique key stops it.
    await h.deliver(createEvent(DisputeResolved, event.payload as PayloadOf<typeof DisputeResolved>) as EventEnvelope);

    const disputeId = (event.payload as PayloadOf<typeof DisputeResolved>).disputeId;
    for (const juror of [a, b]) {
      expect(await walletOf(h, juror)).toEqual({ balance: '20', locked: '0', available: '20' });
      expect(await juryGrantsOf(juror)).toEqual([{ reference: disputeId, amount: '20.000000000000000000', status: 'PAID', refusal_reason: null }]);
    }
    expect(await walletOf(h, minority)).toEqual({ balance: '0', locked: '0', available: '0' });
    expect(await juryGrantsOf(minority)).toEqual([]);
    expect(toUnits(await balanceOf(h, COMMUNITY_POOL.id))).toBe(pool - 2n * toUnits('20'));
    const granted = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'RewardGranted' AND envelope->'payload'->>'reference' = $1`, [
      disputeId,
    ]);
    expect(granted.map((g) => [g.p.beneficiaryId, g.p.policy, g.p.amount]).sort()).toEqual([a, b].sort().map((id) => [id, 'jury.reward', '20']));
  });

  it('pays nothing when nobody won (an empty majority)', async () => {
    const before = await h.sql(`SELECT count(*)::int AS n FROM reward_grants`);
    await h.deliver(resolved([]));
    expect(await h.sql(`SELECT count(*)::int AS n FROM reward_grants`)).toEqual(before);
  });

  it('caps a juror at 100 BTRST per UTC day: the sixth verdict of the day is refused (DAILY_CAP) and recorded', async () => {
    const busy = await addMember(h);
    const day = new Date(Date.UTC(2026, 0, 15, 12));
    for (let i = 0; i < 6; i++) await h.deliver(resolved([busy], { resolvedAt: new Date(day.getTime() + i * 60_000).toISOString() }));
    const grants = await juryGrantsOf(busy);
    expect(grants.map((g) => g.status)).toEqual(['PAID', 'PAID', 'PAID', 'PAID', 'PAID', 'REFUSED']);
    expect(grants[5].refusal_reason).toBe('DAILY_CAP');
    expect((await walletOf(h, busy)).balance).toBe('100');
  });

  it('pays members only: a juror rewards does not know as a member waits for the approval, like every reward', async () => {
    const stranger = randomUUID();
    await h.deliver(resolved([stranger]));
    expect(await juryGrantsOf(stranger)).toEqual([]);
    expect(await h.sql(`SELECT policy_key FROM awaiting_membership_grants WHERE beneficiary_id = $1`, [stranger])).toEqual([{ policy_key: 'jury.reward' }]);
  });
});
