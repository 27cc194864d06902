/**
 * Rewards through the service's real consumer path (inbox transaction + handlers) on a real
 * PostgreSQL: who is paid what under which policy, idempotency under replay and under
 * concurrency, members only, and the community pool never overdrawn or partially paid.
 */
import { randomUUID } from 'node:crypto';
import {
  createEvent,
  InvoicePaid,
  KycApproved,
  RatingSubmitted,
  ReferralQualified,
  TalentScreened,
  type EventDefinition,
  type EventEnvelope,
  type PayloadOf,
} from '@talent/events';
import { inTransaction } from '@talent/platform';
import { addMember, assertLedgerConsistent, balanceOf, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { COMMUNITY_POOL, walletAccounts } from '../ledger/accounts';
import { toUnits } from '@talent/platform';

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

const DAY = 86_400_000;
const screened = (inspectorId: string, talentId: string = randomUUID(), options: { at?: Date; decision?: 'APPROVED' | 'REJECTED' } = {}) =>
  createEvent(
    TalentScreened,
    { screeningId: randomUUID(), talentId, inspectorId, decision: options.decision ?? 'APPROVED', screenedAt: (options.at ?? new Date()).toISOString() },
    { occurredAt: options.at },
  );
const rated = (rateeId: string, stars: number, contractId: string = randomUUID(), rateeRole: 'TALENT' | 'CLIENT' = 'TALENT') =>
  createEvent(RatingSubmitted, {
    ratingId: randomUUID(),
    contractId,
    raterId: randomUUID(),
    rateeId,
    rateeRole,
    stars,
    rateeAverageRating: stars,
    rateeRatingsCount: 1,
    submittedAt: now(),
  });
const referral = (connectorId: string, contractId: string = randomUUID(), kind: 'TALENT' | 'CLIENT' = 'TALENT', qualifiedAt = new Date()) =>
  createEvent(ReferralQualified, {
    referralId: randomUUID(),
    referralType: 'SIGNUP',
    kind,
    connectorId,
    referredUserId: randomUUID(),
    contractId,
    // Declared at hire: never what anyone is paid on.
    contractValue: { amount: '99999999.00', currency: 'USD' },
    qualifiedAt: qualifiedAt.toISOString(),
  });
/** A paid invoice of `subtotal` (USD unless said otherwise; payments' USD value is null without a rate). */
const paid = (contractId: string, subtotal: string, options: { currency?: string; usd?: string | null; paidAt?: Date } = {}) => {
  const currency = options.currency ?? 'USD';
  const usd = options.usd === undefined ? (currency === 'USD' ? subtotal : null) : options.usd;
  const paidAt = (options.paidAt ?? new Date()).toISOString();
  return createEvent(InvoicePaid, {
    invoiceId: randomUUID(),
    contractId,
    talentId: randomUUID(),
    clientId: randomUUID(),
    subtotal: { amount: subtotal, currency },
    platformFee: { amount: '0.00', currency },
    feeRate: '0.10',
    total: { amount: subtotal, currency },
    subtotalUsd: usd === null ? null : { amount: usd, currency: 'USD' },
    usdRate: usd === null ? null : '1',
    providerReference: `ch_${randomUUID()}`,
    paidAt,
  });
};
const approved = (userId: string) => createEvent(KycApproved, { caseId: randomUUID(), userId, reviewerId: randomUUID(), country: 'US', approvedAt: now() });
/** The same payload under a new event id: what a producer re-publishing (not redelivering) looks like. */
const republished = <D extends EventDefinition>(definition: D, envelope: EventEnvelope) => createEvent(definition, envelope.payload as PayloadOf<D>);

const grantsOf = (beneficiaryId: string) =>
  h.sql(
    `SELECT policy_key, reference, source_id, amount::text AS amount, status, refusal_reason FROM reward_grants WHERE beneficiary_id = $1 ORDER BY created_at, earned_at`,
    [beneficiaryId],
  );
const outboxCount = async (type: string) => (await h.sql(`SELECT count(*)::int AS n FROM outbox WHERE type = $1`, [type]))[0].n as number;
/** How many transactions wrote the events' inbox records. */
const transactionsOf = async (events: EventEnvelope[]) =>
  (await h.sql(`SELECT count(DISTINCT xmin::text)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`, [events.map((e) => e.id)]))[0].n as number;
/** Leaves exactly `left` BTRST in the pool: a journal entry straight from the pool to a member (no policy pays that much). */
const drainPoolTo = async (left: string): Promise<string> => {
  const whale = await addMember(h);
  const drain = toUnits(await balanceOf(h, COMMUNITY_POOL.id)) - toUnits(left);
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
  expect(await balanceOf(h, COMMUNITY_POOL.id)).toBe(left);
  return whale;
};

describe('reward policies', () => {
  it('are seeded in the database with their defaults, caps and earning rules', async () => {
    const policies = (await h.core.policies.list()).map((p) => ({
      key: p.key,
      amount: p.amount,
      rate: p.rate,
      currency: p.rateCurrency,
      caps: [p.capPerGrant, p.capPerBeneficiaryDay, p.capPerBeneficiaryMonth, p.capPerSource].map((c) => (c === null ? null : Number(c))),
      window: p.earningWindowDays,
      minPaidUsd: p.minPaidUsd,
      once: p.oncePerReference,
    }));
    expect(policies).toEqual([
      {
        key: 'connector.client_referral',
        amount: null,
        rate: '0.020000000000000000',
        currency: 'USD',
        caps: [2000, null, 20000, 10000],
        window: 365,
        minPaidUsd: null,
        once: false,
      },
      {
        key: 'connector.referral',
        amount: null,
        rate: '0.050000000000000000',
        currency: 'USD',
        caps: [5000, null, 50000, 25000],
        window: 365,
        minPaidUsd: null,
        once: false,
      },
      {
        key: 'jury.reward',
        amount: '20.000000000000000000',
        rate: null,
        currency: null,
        caps: [null, 100, 400, null],
        window: null,
        minPaidUsd: null,
        once: false,
      },
      {
        key: 'rating.five_star',
        amount: '10.000000000000000000',
        rate: null,
        currency: null,
        caps: [null, 50, 300, null],
        window: null,
        minPaidUsd: '400.00',
        once: false,
      },
      {
        key: 'talent.screened',
        amount: '25.000000000000000000',
        rate: null,
        currency: null,
        caps: [null, 250, null, null],
        window: null,
        minPaidUsd: null,
        once: true,
      },
    ]);
  });
});

describe('screening', () => {
  it('pays the inspector for the first decision on a talent, with RewardGranted, its public projection and BalanceChanged', async () => {
    const inspector = await addMember(h);
    const first = screened(inspector, randomUUID(), { decision: 'REJECTED' });
    await h.deliver(first);
    expect(await walletOf(h, inspector)).toEqual({ balance: '25', locked: '0', available: '25' });
    expect(await grantsOf(inspector)).toEqual([
      {
        policy_key: 'talent.screened',
        reference: first.payload.talentId,
        source_id: null,
        amount: '25.000000000000000000',
        status: 'PAID',
        refusal_reason: null,
      },
    ]);
    const events = await h.sql(
      `SELECT type, topic, message_key, envelope FROM outbox WHERE envelope->'payload'->>'grantId' IN (SELECT id::text FROM reward_grants WHERE reference = $1)`,
      [first.payload.talentId],
    );
    const granted = events.find((e) => e.type === 'RewardGranted')!;
    expect(granted).toMatchObject({ topic: 'rewards.events.v1', message_key: inspector });
    expect(granted.envelope.payload).toMatchObject({ beneficiaryId: inspector, policy: 'talent.screened', amount: '25', reference: first.payload.talentId });
    const partner = events.find((e) => e.type === 'reward.granted')!;
    expect(partner.topic).toBe('public.rewards.v1');
    expect(Object.keys(partner.envelope.payload).sort()).toEqual(['amount', 'grantId', 'grantedAt', 'policy']);
    expect(JSON.stringify(partner.envelope)).not.toContain(inspector);
    const balanceEvents = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'BalanceChanged' AND message_key = $1 ORDER BY seq`, [
      inspector,
    ]);
    expect(balanceEvents.map((e) => [e.p.balance, e.p.locked])).toEqual([['25', '0']]);
  });

  it('screening the same talent again pays nothing: not the same inspector, not another (recorded ALREADY_REWARDED)', async () => {
    const [inspector, other] = [await addMember(h), await addMember(h)];
    const talent = randomUUID();
    await h.deliver(screened(inspector, talent, { decision: 'REJECTED' }));
    await h.deliver(screened(inspector, talent, { decision: 'REJECTED' }));
    await h.deliver(screened(inspector, talent, { decision: 'APPROVED' }));
    await h.deliver(screened(other, talent));
    expect((await walletOf(h, inspector)).balance).toBe('25');
    expect((await walletOf(h, other)).balance).toBe('0');
    expect(await grantsOf(other)).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'ALREADY_REWARDED', reference: talent })]);
  });

  it('an inspector earns at most the daily cap; the next UTC day pays again', async () => {
    const inspector = await addMember(h);
    const today = new Date();
    for (let i = 0; i < 11; i++) await h.deliver(screened(inspector, randomUUID(), { at: today }));
    expect((await walletOf(h, inspector)).balance).toBe('250'); // cap 250 = 10 screenings
    const grants = await grantsOf(inspector);
    expect(grants.filter((g) => g.status === 'PAID')).toHaveLength(10);
    expect(grants.filter((g) => g.status === 'REFUSED')).toEqual([expect.objectContaining({ refusal_reason: 'DAILY_CAP', amount: null })]);
    await h.deliver(screened(inspector, randomUUID(), { at: new Date(today.getTime() + DAY) }));
    expect((await walletOf(h, inspector)).balance).toBe('275');
  });
});

describe('five-star ratings pay on paid work', () => {
  it('pays each rated side once per contract, only when its paid invoices reach the minimum (in any order)', async () => {
    const [talent, client] = [await addMember(h), await addMember(h)];
    const contract = randomUUID();
    await h.deliver(rated(talent, 5, contract));
    await h.deliver(rated(client, 5, contract, 'CLIENT'));
    expect((await walletOf(h, talent)).balance).toBe('0'); // nothing paid yet
    await h.deliver(paid(contract, '300.00'));
    expect((await walletOf(h, talent)).balance).toBe('0'); // 300 < 400
    expect(await grantsOf(talent)).toEqual([]);
    await h.deliver(paid(contract, '100.00'));
    expect((await walletOf(h, talent)).balance).toBe('10');
    expect((await walletOf(h, client)).balance).toBe('10');
    expect(await grantsOf(talent)).toEqual([expect.objectContaining({ policy_key: 'rating.five_star', reference: contract, status: 'PAID' })]);
    // Later invoices, or another 5-star rating of the same side, pay nothing more.
    await h.deliver(paid(contract, '1000.00'));
    await h.deliver(rated(talent, 5, contract));
    expect((await walletOf(h, talent)).balance).toBe('10');
  });

  it('pays a rating that arrives after the paid work; four stars earn nothing; an unconvertible invoice does not count', async () => {
    const ratee = await addMember(h);
    const contract = randomUUID();
    await h.deliver(paid(contract, '500.00', { currency: 'EUR', usd: null }));
    await h.deliver(rated(ratee, 5, contract));
    expect((await walletOf(h, ratee)).balance).toBe('0');
    await h.deliver(paid(contract, '400.00'));
    expect((await walletOf(h, ratee)).balance).toBe('10');
    const other = randomUUID();
    await h.deliver(paid(other, '5000.00'));
    await h.deliver(rated(ratee, 4, other));
    expect((await walletOf(h, ratee)).balance).toBe('10');
  });
});

describe('connector referrals pay on paid invoices', () => {
  it('pays rate x each paid subtotal in USD, one grant per invoice (reference = invoice, source = referral), whatever arrives first', async () => {
    const connector = await addMember(h);
    const contract = randomUUID();
    const early = paid(contract, '1000.00');
    await h.deliver(early); // paid before rewards saw the qualification
    const talentSide = referral(connector, contract);
    await h.deliver(talentSide);
    expect((await walletOf(h, connector)).balance).toBe('50');
    const later = paid(contract, '234.56');
    await h.deliver(later);
    await h.deliver(referral(connector, contract, 'CLIENT'));
    const grants = await grantsOf(connector);
    expect(grants.map((g) => [g.policy_key, g.reference, g.source_id, g.amount])).toEqual([
      ['connector.referral', early.payload.invoiceId, talentSide.payload.referralId, '50.000000000000000000'],
      ['connector.referral', later.payload.invoiceId, talentSide.payload.referralId, '11.728000000000000000'],
      ['connector.client_referral', early.payload.invoiceId, expect.any(String), '20.000000000000000000'],
      ['connector.client_referral', later.payload.invoiceId, expect.any(String), '4.691200000000000000'],
    ]);
    expect((await walletOf(h, connector)).available).toBe('86.4192');
    const granted = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'RewardGranted' AND envelope->'payload'->>'reference' = $1`, [
      later.payload.invoiceId,
    ]);
    expect(granted.map((g) => g.p.sourceId)).toHaveLength(2);
    expect(granted.map((g) => g.p.sourceId)).toContain(talentSide.payload.referralId);
  });

  it('a qualification alone pays nothing, whatever value was declared at hire', async () => {
    const connector = await addMember(h);
    await h.deliver(referral(connector));
    expect((await walletOf(h, connector)).balance).toBe('0');
    expect(await grantsOf(connector)).toEqual([]);
  });

  it('refuses, and records, what exceeds a cap: per grant, per referral; and invoices paid after the earning window', async () => {
    const connector = await addMember(h);
    const contract = randomUUID();
    await h.deliver(referral(connector, contract, 'TALENT', new Date(Date.now() - 400 * DAY)));
    await h.deliver(paid(contract, '1000.00')); // 400 days after qualification: outside the 365-day window
    expect(await grantsOf(connector)).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'OUTSIDE_EARNING_WINDOW' })]);

    const big = randomUUID();
    await h.deliver(referral(connector, big));
    await h.deliver(paid(big, '100001.00')); // 5000.05 > 5000 per grant: refused whole, never trimmed
    await h.deliver(paid(big, '100000.00')); // 5000: paid
    expect((await walletOf(h, connector)).balance).toBe('5000');
    for (let i = 0; i < 4; i++) await h.deliver(paid(big, '100000.00')); // 25000 per referral in all
    await h.deliver(paid(big, '20.00')); // 1 more than the referral's cap
    expect((await walletOf(h, connector)).balance).toBe('25000');
    const refused = (await grantsOf(connector)).filter((g) => g.status === 'REFUSED').map((g) => g.refusal_reason);
    expect(refused).toEqual(['OUTSIDE_EARNING_WINDOW', 'GRANT_CAP', 'SOURCE_CAP']);
  });

  it('a connector earns at most the monthly cap across referrals', async () => {
    const connector = await addMember(h);
    await h.sql(`UPDATE reward_policies SET cap_per_beneficiary_month = 60 WHERE key = 'connector.referral'`);
    try {
      for (let i = 0; i < 3; i++) {
        const contract = randomUUID();
        await h.deliver(referral(connector, contract));
        await h.deliver(paid(contract, '500.00')); // 25 each
      }
      expect((await walletOf(h, connector)).balance).toBe('50');
      expect((await grantsOf(connector)).map((g) => g.refusal_reason)).toEqual([null, null, 'MONTHLY_CAP']);
    } finally {
      await h.sql(`UPDATE reward_policies SET cap_per_beneficiary_month = 50000 WHERE key = 'connector.referral'`);
    }
  });

  it('refuses (and records) an invoice without a USD value when rewards has no rate either; converts once a rate is known', async () => {
    const connector = await addMember(h);
    const contract = randomUUID();
    await h.deliver(referral(connector, contract));
    const eur = paid(contract, '1000.00', { currency: 'EUR', usd: null });
    await h.deliver(eur);
    expect(await grantsOf(connector)).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'NO_FX_RATE', amount: null })]);
    // A rate arriving later does not pay the refused one again ...
    await h.sql(`INSERT INTO fx_rates (currency, quote_currency, rate) VALUES ('EUR', 'USD', 1.08)`);
    await h.deliver(republished(InvoicePaid, eur));
    expect((await walletOf(h, connector)).balance).toBe('0');
    // ... but converts the next invoice: 1000 EUR x 1.08 x 0.05 = 54.
    await h.deliver(paid(contract, '1000.00', { currency: 'EUR', usd: null }));
    expect((await walletOf(h, connector)).balance).toBe('54');
  });
});

describe('membership and idempotency', () => {
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
    const work = screened(inspector, randomUUID(), { at: new Date(Date.parse(approval.payload.approvedAt) + 1000) });
    await h.deliver(work); // ... but the work reaches rewards first
    expect((await walletOf(h, inspector)).balance).toBe('0');
    await h.deliver(approval);
    expect((await walletOf(h, inspector)).balance).toBe('25');
    expect(await grantsOf(inspector)).toEqual([expect.objectContaining({ status: 'PAID' })]);
    expect(await h.sql('SELECT count(*)::int AS n FROM awaiting_membership_grants WHERE beneficiary_id = $1', [inspector])).toEqual([{ n: 0 }]);
    await h.deliver(republished(TalentScreened, work));
    expect((await walletOf(h, inspector)).balance).toBe('25');
  });

  it("a grant parked as 'not a member yet' while that user's approval is being applied is settled by the approval, never left waiting", async () => {
    const inspector = randomUUID();
    const approval = approved(inspector);
    const work = screened(inspector, randomUUID(), { at: new Date(Date.parse(approval.payload.approvedAt) + 1000) });
    // The approval is applied but not committed yet: the work's batch cannot see the member row.
    let commitApproval!: () => void;
    const approvalCommitted = new Promise<void>((resolve) => (commitApproval = resolve));
    let approvalApplied!: () => void;
    const applied = new Promise<void>((resolve) => (approvalApplied = resolve));
    const approvalTx = inTransaction(h.dataSource, async (tx) => {
      await h.core.membership.onKycApproved(approval, tx);
      approvalApplied();
      await approvalCommitted;
    });
    await applied;
    const workDelivered = h.deliver(work);
    // The work's batch either waits for the approval's transaction or (the race) parks its grant at once.
    await Promise.race([workDelivered, waitForLockWait()]);
    commitApproval();
    await approvalTx;
    await workDelivered;
    expect(await h.sql('SELECT count(*)::int AS n FROM awaiting_membership_grants WHERE beneficiary_id = $1', [inspector])).toEqual([{ n: 0 }]);
    expect((await walletOf(h, inspector)).balance).toBe('25');
  });

  it('replaying every event twice (redelivered, and re-published with new ids) pays nothing twice', async () => {
    const people = [await addMember(h), await addMember(h), await addMember(h)];
    const sent: EventEnvelope[] = [];
    const send = async (e: EventEnvelope) => (sent.push(e), h.deliver(e));
    for (const [i, person] of people.entries()) {
      const contract = randomUUID();
      await send(screened(person));
      await send(rated(person, 5, contract));
      await send(referral(person, contract));
      await send(paid(contract, String(1000 * (i + 1))));
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
        inTransaction(h.dataSource, (tx) => h.core.grants.grant(tx, { policyKey: 'rating.five_star', reference: 'contract-1', beneficiaryId: inspector })),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'PAID')).toHaveLength(1);
    expect(outcomes.filter((o) => o.status === 'DUPLICATE')).toHaveLength(5);
    expect((await walletOf(h, inspector)).balance).toBe('35');
  });

  it('concurrent grants to one beneficiary cannot slip past a cap together', async () => {
    const inspector = await addMember(h);
    const at = new Date();
    await Promise.all(Array.from({ length: 14 }, () => h.deliver(screened(inspector, randomUUID(), { at }))));
    expect((await walletOf(h, inspector)).balance).toBe('250');
    expect((await grantsOf(inspector)).filter((g) => g.refusal_reason === 'DAILY_CAP')).toHaveLength(4);
  });
});

describe('grants decided per batch (one transaction for up to 100 events), tried as colluding accounts would', () => {
  it('one batch packed by an inspector and an accomplice pays no more than the daily cap, each talent once, each grant once', async () => {
    const inspector = await addMember(h);
    const accomplice = await addMember(h);
    const at = new Date();
    const talents = Array.from({ length: 14 }, () => randomUUID());
    const screenings = talents.map((talent) => screened(inspector, talent, { at }));
    const batch = [
      ...screenings,
      // Re-published under new ids, and redelivered as they were: the same grants again.
      ...screenings.slice(0, 3).map((e) => republished(TalentScreened, e)),
      screenings[4],
      // The accomplice screens talents the inspector screened in this very batch: the first decision only pays.
      ...talents.slice(0, 2).map((talent) => screened(accomplice, talent, { at })),
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
    await h.deliverBatch(Array.from({ length: 3 }, () => screened(inspector)));
    const events = await h.sql(
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
});

describe('concurrent batches lock what a decision reads (policy and beneficiary, source, reference), tried as colluding accounts would', () => {
  it('two inspectors screening the same talents in parallel batches are paid once per talent, and never past the daily cap', async () => {
    const [inspector, accomplice] = await Promise.all([addMember(h), addMember(h)]);
    const at = new Date();
    const talents = Array.from({ length: 12 }, () => randomUUID());
    const batches = [
      talents.slice(0, 6).map((talent) => screened(inspector, talent, { at })),
      talents.slice(6).map((talent) => screened(inspector, talent, { at })),
      talents.map((talent) => screened(accomplice, talent, { at })),
      talents.slice(0, 6).map((talent) => screened(inspector, talent, { at })), // re-published under new ids
    ];
    await Promise.all(batches.map((batch) => h.deliverBatch(batch)));

    const inspectorGrants = await grantsOf(inspector);
    const accompliceGrants = await grantsOf(accomplice);
    const paidTalents = [...inspectorGrants, ...accompliceGrants].filter((g) => g.status === 'PAID').map((g) => g.reference);
    expect(new Set(paidTalents).size).toBe(paidTalents.length); // no talent paid twice
    expect(inspectorGrants.filter((g) => g.status === 'PAID').length).toBeLessThanOrEqual(10); // 10 x 25: the daily cap
    expect(accompliceGrants.filter((g) => g.status === 'PAID').length).toBeLessThanOrEqual(10);
    expect(inspectorGrants).toHaveLength(12); // one decision per talent, the re-published batch decided nothing
    expect(accompliceGrants).toHaveLength(12);
    // Every talent is decided by one of them first: paid, or refused at a cap (never ALREADY_REWARDED for both).
    for (const talent of talents) {
      const decisions = [...inspectorGrants, ...accompliceGrants].filter((g) => g.reference === talent);
      expect(decisions.filter((g) => g.refusal_reason === 'ALREADY_REWARDED')).toHaveLength(1);
    }
    const balances = await Promise.all([inspector, accomplice].map(async (u) => toUnits((await walletOf(h, u)).balance)));
    expect(balances[0] + balances[1]).toBe(toUnits('25') * BigInt(paidTalents.length));
    await assertLedgerConsistent(h);
  });

  it('a talent rated 5 stars on many contracts earns at most the daily cap when the invoices are paid in parallel batches', async () => {
    const talent = await addMember(h);
    const contracts = Array.from({ length: 8 }, () => randomUUID());
    await h.deliverBatch(contracts.map((contract) => rated(talent, 5, contract)));
    // rating.five_star: 10 per contract, 50 per day. Eight contracts (no lock in common) paid in four batches at once.
    const invoices = contracts.map((contract) => paid(contract, '500.00'));
    const batches = [0, 2, 4, 6].map((i) => invoices.slice(i, i + 2));
    await Promise.all(batches.map((batch) => h.deliverBatch(batch)));

    const grants = await grantsOf(talent);
    expect(grants).toHaveLength(8);
    expect(grants.filter((g) => g.status === 'PAID')).toHaveLength(5);
    expect(grants.filter((g) => g.refusal_reason === 'DAILY_CAP')).toHaveLength(3);
    expect((await walletOf(h, talent)).balance).toBe('50');

    await Promise.all(batches.map((batch) => h.deliverBatch(batch.map((e) => republished(InvoicePaid, e)))));
    expect(await grantsOf(talent)).toHaveLength(8);
    expect((await walletOf(h, talent)).balance).toBe('50');
    await assertLedgerConsistent(h);
  });

  it("a connector's referral earns at most its source cap when its invoices are paid in parallel batches", async () => {
    const connector = await addMember(h);
    const contract = randomUUID();
    await h.deliver(referral(connector, contract)); // connector.referral: 0.05 BTRST per USD, 5,000 per grant, 25,000 per referral
    // Six invoices of 100,000 USD (5,000 BTRST each, 30,000 in all) in three batches at once.
    const batches = Array.from({ length: 3 }, () => [paid(contract, '100000.00'), paid(contract, '100000.00')]);
    await Promise.all(batches.map((batch) => h.deliverBatch(batch)));

    const grants = await grantsOf(connector);
    expect(grants).toHaveLength(6);
    expect(grants.filter((g) => g.status === 'PAID')).toHaveLength(5);
    expect(grants.filter((g) => g.refusal_reason === 'SOURCE_CAP')).toHaveLength(1);
    expect((await walletOf(h, connector)).balance).toBe('25000');

    // The same invoices again, all at once: nothing more moves.
    await Promise.all(batches.map((batch) => h.deliverBatch(batch.map((e) => republished(InvoicePaid, e)))));
    expect(await grantsOf(connector)).toHaveLength(6);
    expect((await walletOf(h, connector)).balance).toBe('25000');
    await assertLedgerConsistent(h);
  });
});

describe('pool exhaustion', () => {
  it('when the pool cannot pay a whole batch, pays in order what it covers and refuses the rest whole; the pool never goes below zero', async () => {
    await drainPoolTo('60');
    const inspectors = await Promise.all(Array.from({ length: 3 }, () => addMember(h)));
    await h.deliverBatch(inspectors.map((inspector) => screened(inspector)));

    expect(await Promise.all(inspectors.map(async (i) => (await walletOf(h, i)).balance))).toEqual(['25', '25', '0']);
    expect(await grantsOf(inspectors[2])).toEqual([expect.objectContaining({ status: 'REFUSED', refusal_reason: 'POOL_EXHAUSTED' })]);
    expect(await balanceOf(h, COMMUNITY_POOL.id)).toBe('10');
    const announced = await h.sql(`SELECT 1 FROM outbox WHERE type = 'RewardGranted' AND envelope->'payload'->>'beneficiaryId' = $1`, [inspectors[2]]);
    expect(announced).toEqual([]);
    await assertLedgerConsistent(h);
  });

  it('refuses a grant larger than the pool, never paying part of it, and pays one that fits', async () => {
    const whale = await drainPoolTo('5');
    const whaleBalance = (await walletOf(h, whale)).balance;

    const inspector = await addMember(h);
    const tooBig = screened(inspector); // 25 > 5
    await h.deliver(tooBig);
    expect(await grantsOf(inspector)).toEqual([
      expect.objectContaining({ status: 'REFUSED', refusal_reason: 'POOL_EXHAUSTED', amount: '25.000000000000000000' }),
    ]);
    expect((await walletOf(h, inspector)).balance).toBe('0');
    expect(await balanceOf(h, COMMUNITY_POOL.id)).toBe('5');

    // A refused grant stays refused, even once the pool could pay it.
    const contract = randomUUID();
    await h.deliver(referral(inspector, contract));
    await h.deliver(paid(contract, '100.00')); // exactly 5: paid
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
  const definitions: EventDefinition[] = [TalentScreened, RatingSubmitted, ReferralQualified, InvoicePaid, KycApproved];
  return definitions.find((d) => d.type === e.type)!;
}

/** Until some session of this database waits for a lock. */
async function waitForLockWait(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const rows = await h.sql(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
