/**
 * Governed reward policies on a real PostgreSQL, through the consumer path: governance's
 * ParameterChanged changes the amount or caps the NEXT grant uses; an older change never undoes a
 * newer one; a value or key rewards cannot apply, and a change not from governance, change nothing.
 */
import { randomUUID } from 'node:crypto';
import { createEvent, DeadLetterHeaders, ParameterChanged, TalentScreened, Topics, type EventEnvelope, type PayloadOf } from '@talent/events';
import { addMember, openRewards, type RewardsHarness } from '../../test/harness';

let h: RewardsHarness;

beforeAll(async () => {
  h = await openRewards('policy_params');
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const T0 = Date.now();
const at = (offsetMs: number) => new Date(T0 + offsetMs).toISOString();
const changed = (key: string, value: string, effectiveAt: string, previousValue: string | null = null) =>
  createEvent(ParameterChanged, { proposalId: randomUUID(), key, value, previousValue, effectiveAt } satisfies PayloadOf<typeof ParameterChanged>);
const screened = (inspectorId: string) =>
  createEvent(TalentScreened, { screeningId: randomUUID(), talentId: randomUUID(), inspectorId, decision: 'APPROVED', screenedAt: new Date().toISOString() });
const grantsOf = async (beneficiaryId: string) =>
  (await h.sql(`SELECT amount::text AS amount, status, refusal_reason FROM reward_grants WHERE beneficiary_id = $1 ORDER BY created_at`, [beneficiaryId])).map(
    (g) => ({
      amount: g.amount === null ? null : Number(g.amount),
      status: g.status,
      refusal: g.refusal_reason,
    }),
  );
const policy = async (key: string) => (await h.core.policies.list()).find((p) => p.key === key)!;
/** The dead letters of this test, emptied (the afterEach expects none left). */
const takeDeadLetters = () =>
  h.deadLetters.splice(0).map((record) => {
    const { topic, messages } = record as { topic: string; messages: Array<{ headers: Record<string, string> }> };
    return { topic, failure: messages[0].headers[DeadLetterHeaders.failure], reason: messages[0].headers[DeadLetterHeaders.reason] };
  });

describe('governed reward policies (ParameterChanged)', () => {
  it('pays the next screening the new amount; grants already paid keep theirs; an older change arriving late is ignored', async () => {
    const inspector = await addMember(h);
    await h.deliver(screened(inspector));

    await h.deliver(changed('rewards.talent.screened.amount', '30.5', at(0), '25'));
    expect((await policy('talent.screened')).amount).toBe('30.500000000000000000');
    await h.deliver(screened(inspector));

    // Voted earlier, delivered later (or redelivered under a new id): the newer value stays.
    await h.deliver(changed('rewards.talent.screened.amount', '40', at(-60_000), '25'));
    await h.deliver(screened(inspector));

    expect(await grantsOf(inspector)).toEqual([
      { amount: 25, status: 'PAID', refusal: null },
      { amount: 30.5, status: 'PAID', refusal: null },
      { amount: 30.5, status: 'PAID', refusal: null },
    ]);
    expect(await h.sql(`SELECT value FROM governed_parameters WHERE key = 'rewards.talent.screened.amount'`)).toEqual([{ value: '30.5' }]);
  });

  it('applies a lowered cap to the next grant (DAILY_CAP), and camelCase keys to their policy', async () => {
    const inspector = await addMember(h);
    await h.deliver(changed('rewards.talent.screened.capPerBeneficiaryDay', '50', at(1_000), '250'));
    await h.deliver(screened(inspector));
    await h.deliver(screened(inspector));
    expect(await grantsOf(inspector)).toEqual([
      { amount: 30.5, status: 'PAID', refusal: null },
      { amount: null, status: 'REFUSED', refusal: 'DAILY_CAP' },
    ]);

    await h.deliver(changed('rewards.connector.clientReferral.capPerGrant', '1500', at(1_000), '2000'));
    await h.deliver(changed('rewards.rating.fiveStar.minPaidUsd', '250.50', at(1_000), '400'));
    await h.deliver(changed('rewards.connector.referral.earningWindowDays', '180', at(1_000), '365'));
    expect((await policy('connector.client_referral')).capPerGrant).toBe('1500.000000000000000000');
    expect((await policy('rating.five_star')).minPaidUsd).toBe('250.50');
    expect((await policy('connector.referral')).earningWindowDays).toBe(180);
  });

  it('sets the amount of the jury.reward policy from `jury.reward`, and its caps from rewards.jury.reward.*', async () => {
    expect((await policy('jury.reward')).amount).toBe('20.000000000000000000');
    await h.deliver(changed('jury.reward', '12.5', at(1_000)));
    await h.deliver(changed('rewards.jury.reward.capPerBeneficiaryDay', '60', at(1_000)));
    expect(await policy('jury.reward')).toMatchObject({ amount: '12.500000000000000000', capPerBeneficiaryDay: '60.000000000000000000' });
  });

  it('refuses for good a value or key rewards cannot apply, changing nothing', async () => {
    const before = await h.core.policies.list();
    const refused = [
      changed('rewards.talent.screened.amount', '-5', at(2_000)),
      changed('rewards.talent.screened.amount', '0', at(2_000)),
      changed('rewards.talent.screened.amount', '1.0000000000000000001', at(2_000)),
      changed('rewards.connector.referral.earningWindowDays', '1.5', at(2_000)),
      // A fixed-amount policy has no rate, and a rate policy no amount.
      changed('rewards.talent.screened.rate', '0.1', at(2_000)),
      changed('rewards.connector.referral.amount', '10', at(2_000)),
      changed('rewards.talent.screened.description', '1', at(2_000)),
      changed('rewards.no.such.policy.amount', '1', at(2_000)),
    ];
    for (const event of refused) await h.deliver(event);
    const letters = takeDeadLetters();
    expect(letters).toHaveLength(refused.length);
    for (const letter of letters) expect(letter).toMatchObject({ topic: `${h.topic(Topics.governance)}.dlq`, failure: 'permanent' });
    expect(letters.map((l) => l.reason)).toEqual([
      expect.stringContaining('positive BTRST amount'),
      expect.stringContaining('positive BTRST amount'),
      expect.stringContaining('at most 18 decimals'),
      expect.stringContaining('whole number of days'),
      expect.stringContaining('has no rate'),
      expect.stringContaining('has no amount'),
      expect.stringContaining('not a reward policy parameter'),
      expect.stringContaining('no reward policy no.such.policy'),
    ]);
    expect(await h.core.policies.list()).toEqual(before);
    expect(await h.sql(`SELECT value FROM governed_parameters WHERE key = 'rewards.talent.screened.amount'`)).toEqual([{ value: '30.5' }]);
  });

  it('refuses a ParameterChanged not from governance, or not on its topic (a forged vote)', async () => {
    const before = await policy('talent.screened');
    const genuine = changed('rewards.talent.screened.amount', '999', at(3_000));
    const forged: EventEnvelope = { ...genuine, id: randomUUID(), source: 'jobs' };
    await h.deliver(forged);
    await h.deliver({ ...genuine, id: randomUUID() }, Topics.jobs);
    expect(takeDeadLetters()).toEqual([
      { topic: `${h.topic(Topics.governance)}.dlq`, failure: 'forged', reason: expect.stringContaining('must come from governance') },
      { topic: `${h.topic(Topics.jobs)}.dlq`, failure: 'forged', reason: expect.stringContaining(`published on ${h.topic(Topics.governance)} only`) },
    ]);
    expect(await policy('talent.screened')).toEqual(before);
  });

  it('leaves keys other services apply alone', async () => {
    const before = await h.core.policies.list();
    await h.deliver(changed('platform.feeRate', '0.05', at(4_000)));
    await h.deliver(changed('matching.weights.skills', '0.6', at(4_000)));
    expect(await h.core.policies.list()).toEqual(before);
    expect(await h.sql(`SELECT key FROM governed_parameters WHERE key IN ('platform.feeRate', 'matching.weights.skills')`)).toEqual([]);
  });
});
