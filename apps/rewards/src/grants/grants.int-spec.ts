// '@talent/platform' re-exports its JWKS verifier, which loads the ESM-only `jose`; no tokens here.
jest.mock('jose', () => ({ createRemoteJWKSet: jest.fn(), jwtVerify: jest.fn() }));

/**
 * Rewards through the service's real consumer path (inbox transaction + handlers) on a real
 * PostgreSQL: who is paid what under which policy, idempotency under replay and under
 * concurrency, members only, and the community pool never overdrawn or partially paid.
 */
import { randomUUID } from 'node:crypto';
import {
  createEvent,
  KycApproved,
  RatingSubmitted,
  ReferralQualified,
  TalentScreened,
  type EventDefinition,
  type EventEnvelope,
  type Money,
  type PayloadOf,
} from '@talent/events';
import { inTransaction } from '@talent/platform';
import { addMember, assertLedgerConsistent, balanceOf, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { COMMUNITY_POOL } from '../ledger/accounts';
import { fromUnits, toUnits } from '../ledger/decimal';

let h: RewardsHarness;
const now = () => new Date().toISOString();

beforeAll(async () => {
  h = await openRewards('grants', { poolSize: 10 });
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const screened = (inspectorId: string, decision: 'APPROVED' | 'REJECTED' = 'APPROVED') =>
  createEvent(TalentScreened, { screeningId: randomUUID(), talentId: randomUUID(), inspectorId, decision, screenedAt: now() });
const rated = (rateeId: string, stars: number) =>
  createEvent(RatingSubmitted, {
    ratingId: randomUUID(),
    contractId: randomUUID(),
    raterId: randomUUID(),
    rateeId,
    rateeRole: 'TALENT',
    stars,
    rateeAverageRating: stars,
    rateeRatingsCount: 1,
    submittedAt: now(),
  });
const referral = (connectorId: string, contractValue: Money, kind: 'TALENT' | 'CLIENT' = 'TALENT') =>
  createEvent(ReferralQualified, {
    referralId: randomUUID(),
    referralType: 'SIGNUP',
    kind,
    connectorId,
    referredUserId: randomUUID(),
    contractId: randomUUID(),
    contractValue,
    qualifiedAt: now(),
  });
const approved = (userId: string) =>
  createEvent(KycApproved, { caseId: randomUUID(), userId, reviewerId: randomUUID(), country: 'US', approvedAt: now() });
/** The same payload under a new event id: what a producer re-publishing (not redelivering) looks like. */
const republished = <D extends EventDefinition>(definition: D, envelope: EventEnvelope) => createEvent(definition, envelope.payload as PayloadOf<D>);

const grantsOf = (beneficiaryId: string) =>
  h.sql(`SELECT policy_key, reference, amount::text AS amount, status, refusal_reason FROM reward_grants WHERE beneficiary_id = $1 ORDER BY created_at`, [beneficiaryId]);
const outboxCount = async (type: string) => (await h.sql(`SELECT count(*)::int AS n FROM outbox WHERE type = $1`, [type]))[0].n as number;

describe('reward policies', () => {
  it('are seeded in the database with their defaults', async () => {
    const policies = (await h.core.policies.list()).map((p) => ({ key: p.key, amount: p.amount, rate: p.rate, currency: p.rateCurrency }));
    expect(policies).toEqual([
      { key: 'connector.client_referral', amount: null, rate: '0.020000000000000000', currency: 'USD' },
      { key: 'connector.referral', amount: null, rate: '0.050000000000000000', currency: 'USD' },
      { key: 'rating.five_star', amount: '10.000000000000000000', rate: null, currency: null },
      { key: 'talent.screened', amount: '25.000000000000000000', rate: null, currency: null },
    ]);
  });
});

describe('grants from events', () => {
  it('pays the inspector for every screening, approved or rejected, with RewardGranted, its public projection and BalanceChanged', async () => {
    const inspector = await addMember(h);
    const first = screened(inspector, 'APPROVED');
    await h.deliver(first);
    await h.deliver(screened(inspector, 'REJECTED'));
    expect(await walletOf(h, inspector)).toEqual({ balance: '50', locked: '0', available: '50' });
    expect(await grantsOf(inspector)).toEqual([
      { policy_key: 'talent.screened', reference: first.payload.screeningId, amount: '25.000000000000000000', status: 'PAID', refusal_reason: null },
      expect.objectContaining({ policy_key: 'talent.screened', status: 'PAID' }),
    ]);
    const events = await h.sql(`SELECT type, topic, message_key, envelope FROM outbox WHERE envelope->'payload'->>'reference' = $1 OR envelope->'payload'->>'grantId' IN (SELECT id::text FROM reward_grants WHERE reference = $1)`, [first.payload.screeningId]);
    const granted = events.find((e) => e.type === 'RewardGranted')!;
    expect(granted).toMatchObject({ topic: 'rewards.events.v1', message_key: inspector });
    expect(granted.envelope.payload).toMatchObject({ beneficiaryId: inspector, policy: 'talent.screened', amount: '25', reference: first.payload.screeningId });
    const partner = events.find((e) => e.type === 'reward.granted')!;
    expect(partner.topic).toBe('public.rewards.v1');
    expect(Object.keys(partner.envelope.payload).sort()).toEqual(['amount', 'grantId', 'grantedAt', 'policy']);
    expect(JSON.stringify(partner.envelope)).not.toContain(inspector);
    const balanceEvents = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'BalanceChanged' AND message_key = $1 ORDER BY seq`, [inspector]);
    expect(balanceEvents.map((e) => [e.p.balance, e.p.locked])).toEqual([
      ['25', '0'],
      ['50', '0'],
    ]);
  });

  it('pays five stars (and only five) to the rated party', async () => {
    const ratee = await addMember(h);
    await h.deliver(rated(ratee, 4));
    await h.deliver(rated(ratee, 5));
    expect((await walletOf(h, ratee)).balance).toBe('10');
    expect((await grantsOf(ratee)).map((g) => g.policy_key)).toEqual(['rating.five_star']);
  });

  it('pays connectors the policy rate x the contract value, truncated to 18 decimals', async () => {
    const connector = await addMember(h);
    const talentReferral = referral(connector, { amount: '12000.00', currency: 'USD' });
    await h.deliver(talentReferral);
    await h.deliver(referral(connector, { amount: '1234.56', currency: 'USD' }, 'CLIENT'));
    const grants = await grantsOf(connector);
    expect(grants.map((g) => [g.policy_key, g.reference, g.amount])).toEqual([
      ['connector.referral', talentReferral.payload.referralId, '600.000000000000000000'],
      ['connector.client_referral', expect.any(String), '24.691200000000000000'],
    ]);
    expect((await walletOf(h, connector)).available).toBe('624.6912');
  });

  it('refuses (and records) a value in a currency without a conversion rate; converts once a rate is known', async () => {
    const connector = await addMember(h);
    const eur = referral(connector, { amount: '1000', currency: 'EUR' });
    await h.deliver(eur);
    expect(await grantsOf(connector)).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'NO_FX_RATE', amount: null })]);
    // A rate arriving later does not pay the refused one again ...
    await h.sql(`INSERT INTO fx_rates (currency, quote_currency, rate) VALUES ('EUR', 'USD', 1.08)`);
    await h.deliver(republished(ReferralQualified, eur));
    expect((await walletOf(h, connector)).balance).toBe('0');
    // ... but converts the next referral: 1000 EUR x 1.08 x 0.05 = 54.
    await h.deliver(referral(connector, { amount: '1000', currency: 'EUR' }));
    expect((await walletOf(h, connector)).balance).toBe('54');
  });

  it('pays members only: work done before KYC approval is refused once the approval arrives, and a replay still pays nothing', async () => {
    const outsider = randomUUID();
    const event = screened(outsider);
    await h.deliver(event);
    // Not known as a member yet: the grant waits (the approval may only be late) and pays nothing.
    expect(await grantsOf(outsider)).toEqual([]);
    expect(await h.sql('SELECT count(*)::int AS n FROM awaiting_membership_grants WHERE beneficiary_id = $1', [outsider])).toEqual([{ n: 1 }]);
    // The approval is dated after the work: it was a non-member's work, refused for good.
    await h.deliver(approved(outsider));
    expect(await grantsOf(outsider)).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'NOT_A_MEMBER' })]);
    await h.deliver(republished(TalentScreened, event));
    expect(await grantsOf(outsider)).toHaveLength(1);
    expect((await walletOf(h, outsider)).balance).toBe('0');
    // New work after membership is paid.
    await h.deliver(screened(outsider));
    expect((await walletOf(h, outsider)).balance).toBe('25');
  });

  it('pays a member whose approval arrives after their work (events of different users are not ordered)', async () => {
    const inspector = randomUUID();
    const approval = approved(inspector); // approved first ...
    const work = createEvent(TalentScreened, {
      screeningId: randomUUID(),
      talentId: randomUUID(),
      inspectorId: inspector,
      decision: 'APPROVED',
      screenedAt: new Date(Date.parse(approval.payload.approvedAt) + 1000).toISOString(),
    }, { occurredAt: new Date(Date.parse(approval.payload.approvedAt) + 1000) });
    await h.deliver(work); // ... but the work reaches rewards first
    expect((await walletOf(h, inspector)).balance).toBe('0');
    await h.deliver(approval);
    expect((await walletOf(h, inspector)).balance).toBe('25');
    expect(await grantsOf(inspector)).toEqual([expect.objectContaining({ status: 'PAID' })]);
    expect(await h.sql('SELECT count(*)::int AS n FROM awaiting_membership_grants WHERE beneficiary_id = $1', [inspector])).toEqual([{ n: 0 }]);
    await h.deliver(republished(TalentScreened, work));
    expect((await walletOf(h, inspector)).balance).toBe('25');
  });

  it('replaying every event twice (redelivered, and re-published with new ids) pays nothing twice', async () => {
    const people = [await addMember(h), await addMember(h), await addMember(h)];
    const sent: EventEnvelope[] = [];
    const send = async (e: EventEnvelope) => (sent.push(e), h.deliver(e));
    for (const [i, person] of people.entries()) {
      await send(screened(person));
      await send(rated(person, 5));
      await send(referral(person, { amount: String(1000 * (i + 1)), currency: 'USD' }));
    }
    const snapshot = async () => ({
      wallets: await Promise.all(people.map((p) => walletOf(h, p))),
      supply: await h.core.supply.supply(),
      grants: (await h.sql(`SELECT count(*)::int AS n FROM reward_grants`))[0].n,
      rewardGranted: await outboxCount('RewardGranted'),
      balanceChanged: await outboxCount('BalanceChanged'),
      postings: (await h.sql(`SELECT count(*)::int AS n FROM ledger_postings`))[0].n,
    });
    const before = await snapshot();
    expect(before.wallets.map((w) => w.balance)).toEqual(['85', '135', '185']);

    const duplicatesBefore = h.consumer.stats.duplicates;
    for (const e of sent) await h.deliver(e); // the same envelopes: stopped by the inbox
    expect(h.consumer.stats.duplicates).toBe(duplicatesBefore + sent.length);
    for (const e of sent) await h.deliver(createEvent({ ...definitionOf(e) }, e.payload as never)); // new ids: stopped by the grants' unique key
    expect(await snapshot()).toEqual(before);
    await assertLedgerConsistent(h);
  });

  it('concurrent deliveries of one grant under different event ids pay it once', async () => {
    const inspector = await addMember(h);
    const event = screened(inspector);
    const copies = Array.from({ length: 8 }, () => republished(TalentScreened, event));
    await Promise.all(copies.map((c) => h.deliver(c)));
    expect(await grantsOf(inspector)).toEqual([expect.objectContaining({ status: 'PAID' })]);
    expect((await walletOf(h, inspector)).balance).toBe('25');
    // And the use case itself, called concurrently in separate transactions.
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () =>
        inTransaction(h.dataSource, (tx) => h.core.grants.grant(tx, { policyKey: 'rating.five_star', reference: 'rating-1', beneficiaryId: inspector })),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'PAID')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'DUPLICATE')).toHaveLength(5);
    expect((await walletOf(h, inspector)).balance).toBe('35');
  });
});

describe('pool exhaustion', () => {
  it('refuses a grant larger than the pool, never paying part of it, and pays one that fits', async () => {
    const whale = await addMember(h);
    const pool = toUnits(await balanceOf(h, COMMUNITY_POOL.id));
    // Drain the pool to exactly 5 BTRST with one referral (rate 0.05 per USD).
    const drainUsd = fromUnits((pool - toUnits('5')) * 20n);
    await h.deliver(referral(whale, { amount: drainUsd, currency: 'USD' }));
    expect(await balanceOf(h, COMMUNITY_POOL.id)).toBe('5');
    const whaleBalance = (await walletOf(h, whale)).balance;

    const inspector = await addMember(h);
    const tooBig = screened(inspector); // 25 > 5
    await h.deliver(tooBig);
    expect(await grantsOf(inspector)).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'POOL_EXHAUSTED', amount: '25.000000000000000000' })]);
    expect((await walletOf(h, inspector)).balance).toBe('0');
    expect(await balanceOf(h, COMMUNITY_POOL.id)).toBe('5');

    // A refused grant stays refused, even once the pool could pay it.
    await h.deliver(rated(inspector, 5)); // 10 > 5: refused too
    await h.deliver(referral(inspector, { amount: '100', currency: 'USD' })); // exactly 5: paid
    expect((await walletOf(h, inspector)).balance).toBe('5');
    expect(await balanceOf(h, COMMUNITY_POOL.id)).toBe('0');
    await h.deliver(republished(TalentScreened, tooBig));
    expect((await walletOf(h, inspector)).balance).toBe('5');

    const supply = await h.core.supply.supply();
    expect(supply.communityPoolRemaining).toBe('0');
    expect(supply.distributedRewards).toBe('135000000');
    expect((await walletOf(h, whale)).balance).toBe(whaleBalance);
    await assertLedgerConsistent(h);
  });
});

function definitionOf(e: EventEnvelope): EventDefinition {
  const definitions: EventDefinition[] = [TalentScreened, RatingSubmitted, ReferralQualified, KycApproved];
  return definitions.find((d) => d.type === e.type)!;
}
