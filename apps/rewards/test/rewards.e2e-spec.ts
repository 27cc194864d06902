/**
 * The rewards service end to end: identity, rewards and the gateway as real processes on
 * fresh databases, Redis and the Kafka-protocol broker. Users act through the gateway;
 * the events of services not started here (jobs, referrals) are published by the test,
 * as valid envelopes on their topics, keyed like their producers key them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import {
  ApplicationResolved,
  ApplicationSubmitted,
  createEvent,
  InterviewRecorded,
  InvoicePaid,
  RatingSubmitted,
  ReferralQualified,
  type EventDefinition,
  type EventEnvelope,
  type PayloadOf,
} from '@talent/events';
import {
  createInspector,
  errorCode,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  waitFor,
  waitForConsumerCaughtUp,
  type Persona,
  type Stack,
} from '@talent/testing';

jest.setTimeout(180_000);

const ADDRESS = '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359';
const WALLET = `query ($id: ID!) { user(id: $id) { id wallet { balance locked available } } }`;
const ME_WALLET = `{ me { id wallet { balance locked available entries(first: 10) {
  edges { cursor node { id kind amount reason reference createdAt } } pageInfo { hasNextPage endCursor } } } } }`;
const SUPPLY = `{ tokenSupply { cap allocations { bucket amount } communityPoolRemaining treasuryBalance distributedRewards } }`;
const WITHDRAW = `mutation ($a: Decimal!, $to: String!) { requestWithdrawal(amount: $a, toAddress: $to) { id amount toAddress status txHash createdAt } }`;
const MY_WITHDRAWALS = `{ myWithdrawals { id amount toAddress status txHash createdAt } }`;

let stack: Stack;
let admin: Persona;
let kafka: Kafka;
let producer: Producer;
let groupId: string;
/** Every envelope this file published, in order, to replay at the end. */
const published: Array<{ topic: string; envelope: EventEnvelope }> = [];
const people: Persona[] = [];

const rewardsSql = <T = Record<string, any>>(text: string, params?: unknown[]) => stack.services.rewards.sql<T>(text, params);

async function publish<D extends EventDefinition>(definition: D, payload: PayloadOf<D>): Promise<EventEnvelope> {
  const envelope = createEvent(definition, payload) as EventEnvelope;
  await producer.send({ topic: stack.topic(definition.topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });
  published.push({ topic: definition.topic, envelope });
  return envelope;
}

/** A KYC-approved user, once rewards has seen the KycApproved event. */
async function member(roles: string[], persona?: Persona): Promise<Persona> {
  const person = persona ?? (await registerPersona(stack, roles, 'Member'));
  await makeMember(stack, person, admin);
  await waitFor(async () => (await rewardsSql('SELECT 1 FROM members WHERE user_id = $1', [person.id])).length > 0, 30_000, {
    message: `rewards learns that ${person.id} is a member`,
  });
  people.push(person);
  return person;
}

const walletAs = async (viewer: Persona, owner: Persona) => (await viewer.api.data(WALLET, { id: owner.id })).user.wallet;
const walletOf = (p: Persona) => walletAs(p, p);
const supply = async () => (await stack.api.data(SUPPLY)).tokenSupply;
/** Waits until the wallet reads as expected (effects arrive through Kafka). */
const walletBecomes = (p: Persona, expected: Record<string, string>, what: string) =>
  waitFor(
    async () => {
      const w = await walletOf(p);
      return Object.entries(expected).every(([k, v]) => w?.[k] === v) && w;
    },
    30_000,
    { message: what },
  );
const stakeStatus = async (applicationId: string) =>
  (
    await rewardsSql<{ status: string; rejection_reason: string | null }>('SELECT status, rejection_reason FROM stakes WHERE application_id = $1', [
      applicationId,
    ])
  )[0];

/** payments' InvoicePaid for a USD invoice of `subtotal` on a contract. */
const paidInvoice = (contractId: string, subtotal: string) => ({
  invoiceId: randomUUID(),
  contractId,
  talentId: randomUUID(),
  clientId: randomUUID(),
  subtotal: { amount: subtotal, currency: 'USD' },
  platformFee: { amount: '0.00', currency: 'USD' },
  feeRate: '0.10',
  total: { amount: subtotal, currency: 'USD' },
  subtotalUsd: { amount: subtotal, currency: 'USD' },
  usdRate: '1',
  providerReference: `ch_${randomUUID()}`,
  paidAt: new Date().toISOString(),
});

const application = (talentId: string, stake: string | null) => ({
  applicationId: randomUUID(),
  jobId: randomUUID(),
  talentId,
  clientId: randomUUID(),
  proposedRate: { amount: '90', currency: 'USD' },
  stake,
  submittedAt: new Date().toISOString(),
});

beforeAll(async () => {
  // A consumer group of our own naming, to read its committed offsets during the replay.
  groupId = `rewards-e2e-${randomBytes(4).toString('hex')}`;
  stack = await startStack({ services: ['rewards'], env: { rewards: { KAFKA_GROUP_ID: groupId } } });
  admin = await signInAdmin(stack);
  kafka = new Kafka({ clientId: 'rewards-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await stack?.stop();
});

let inspector: Persona;
let talent: Persona;
let connector: Persona;

describe('rewards through the gateway', () => {
  it('serves the token supply, its allocations and the reward policies', async () => {
    expect(await supply()).toEqual({
      cap: '250000000',
      allocations: [
        { bucket: 'community_incentives', amount: '135000000' },
        { bucket: 'early_investors', amount: '55000000' },
        { bucket: 'crowdsale', amount: '12500000' },
        { bucket: 'nodes', amount: '47500000' },
      ],
      communityPoolRemaining: '135000000',
      treasuryBalance: '0',
      distributedRewards: '0',
    });
    const { rewardPolicies } = await stack.api.data(`{ rewardPolicies { key description amount rate } }`);
    expect(rewardPolicies.map((p: { key: string; amount: string | null; rate: string | null }) => [p.key, p.amount, p.rate])).toEqual([
      ['connector.client_referral', null, '0.02'],
      ['connector.referral', null, '0.05'],
      ['jury.reward', '20', null],
      ['rating.five_star', '10', null],
      ['talent.screened', '25', null],
    ]);
  });

  it('pays the inspector for screening a talent (TalentScreened from identity)', async () => {
    inspector = await member([], await createInspector(stack, admin));
    talent = await member(['TALENT']);
    await screenApproved(inspector, talent);
    await walletBecomes(inspector, { balance: '25', available: '25', locked: '0' }, 'the inspector is paid 25');
    const { me } = await inspector.api.data(ME_WALLET);
    expect(me.wallet.entries.edges.map((e: any) => e.node)).toEqual([
      expect.objectContaining({ kind: 'REWARD', amount: '25', reason: 'talent.screened', reference: expect.any(String) }),
    ]);
    expect((await supply()).distributedRewards).toBe('25');
  });

  it("pays a 5-star rating to the rated party once the contract's paid invoices reach the minimum, and nothing for 4 stars", async () => {
    const contractId = randomUUID();
    const rating = (stars: number) => ({
      ratingId: randomUUID(),
      contractId,
      raterId: randomUUID(),
      rateeId: talent.id,
      rateeRole: 'TALENT' as const,
      stars,
      rateeAverageRating: stars,
      rateeRatingsCount: 1,
      submittedAt: new Date().toISOString(),
    });
    await publish(RatingSubmitted, rating(4));
    await publish(RatingSubmitted, rating(5));
    // No paid work yet: nothing is paid (and nothing refused: the rating waits for payments).
    await publish(InvoicePaid, paidInvoice(contractId, '399.99'));
    await waitFor(async () => (await rewardsSql(`SELECT 1 FROM paid_invoices WHERE contract_id = $1`, [contractId])).length > 0, 30_000, {
      message: 'invoice seen',
    });
    expect((await walletOf(talent)).balance).toBe('0');
    await publish(InvoicePaid, paidInvoice(contractId, '0.01'));
    await walletBecomes(talent, { balance: '10' }, 'the ratee is paid 10');
    const grants = await rewardsSql(`SELECT policy_key, reference FROM reward_grants WHERE beneficiary_id = $1`, [talent.id]);
    expect(grants).toEqual([{ policy_key: 'rating.five_star', reference: contractId }]);
  });

  it('pays a connector the policy rate x each paid invoice of the contract, not the value declared at hire', async () => {
    connector = await member(['CONNECTOR']);
    const referral = (kind: 'TALENT' | 'CLIENT', contractId: string) => ({
      referralId: randomUUID(),
      referralType: 'JOB' as const,
      kind,
      connectorId: connector.id,
      referredUserId: talent.id,
      contractId,
      contractValue: { amount: '5000000000.00', currency: 'USD' },
      qualifiedAt: new Date().toISOString(),
    });
    const [talentContract, clientContract] = [randomUUID(), randomUUID()];
    const talentReferral = await publish(ReferralQualified, referral('TALENT', talentContract));
    await publish(ReferralQualified, referral('CLIENT', clientContract));
    await waitFor(async () => (await rewardsSql(`SELECT count(*)::int AS n FROM referral_sources`))[0].n === 2, 30_000, { message: 'qualifications seen' });
    expect((await walletOf(connector)).balance).toBe('0'); // qualified: nothing paid yet
    const invoice = await publish(InvoicePaid, paidInvoice(talentContract, '12000.00'));
    await publish(InvoicePaid, paidInvoice(clientContract, '1000.00'));
    await walletBecomes(connector, { balance: '620' }, 'the connector is paid 0.05 x 12000 + 0.02 x 1000');
    const [event] = await rewardsSql(
      `SELECT envelope->'payload' AS p FROM outbox WHERE type = 'RewardGranted' AND envelope->'payload'->>'reference' = $1 AND envelope->'payload'->>'policy' = 'connector.referral'`,
      [(invoice.payload as { invoiceId: string }).invoiceId],
    );
    expect(event.p).toMatchObject({
      policy: 'connector.referral',
      amount: '600',
      beneficiaryId: connector.id,
      sourceId: (talentReferral.payload as { referralId: string }).referralId,
    });

    // An invoice whose reward would exceed the cap per grant is refused whole, and the connector sees why.
    const huge = await publish(InvoicePaid, paidInvoice(talentContract, '200000.00'));
    const REWARDS = `{ me { wallet { balance rewards(first: 10) { policy reference sourceId status amount refusalReason } } } }`;
    const refused = await waitFor(
      async () => {
        const { me } = await connector.api.data(REWARDS);
        return me.wallet.rewards.find((r: { reference: string }) => r.reference === (huge.payload as { invoiceId: string }).invoiceId);
      },
      30_000,
      { message: 'refusal recorded' },
    );
    expect(refused).toEqual({
      policy: 'connector.referral',
      reference: (huge.payload as { invoiceId: string }).invoiceId,
      sourceId: (talentReferral.payload as { referralId: string }).referralId,
      status: 'REFUSED',
      amount: null,
      refusalReason: 'GRANT_CAP',
    });
    expect((await walletOf(connector)).balance).toBe('620');
    // Nobody else sees it.
    expect((await talent.api.data(`query ($id: ID!) { user(id: $id) { wallet { rewards { status } } } }`, { id: connector.id })).user.wallet).toBeNull();
  });

  it('locks a stake, refuses one above the available balance, slashes a no-show to the treasury, releases otherwise', async () => {
    // talent holds 10.
    const locked = application(talent.id, '4');
    await publish(ApplicationSubmitted, locked);
    await walletBecomes(talent, { balance: '10', locked: '4', available: '6' }, 'the stake is locked');

    const tooBig = application(talent.id, '6.5');
    await publish(ApplicationSubmitted, tooBig);
    await waitFor(async () => (await stakeStatus(tooBig.applicationId))?.status === 'REJECTED', 30_000, { message: 'stake rejected' });
    expect(await stakeStatus(tooBig.applicationId)).toEqual({ status: 'REJECTED', rejection_reason: 'INSUFFICIENT_FUNDS' });
    const [rejected] = await rewardsSql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'StakeRejected' AND message_key = $1`, [
      tooBig.applicationId,
    ]);
    expect(rejected.p).toMatchObject({ reason: 'INSUFFICIENT_FUNDS', amount: '6.5', talentId: talent.id });

    const treasuryBefore = (await supply()).treasuryBalance;
    const noShow = { applicationId: locked.applicationId, jobId: locked.jobId, talentId: talent.id, stake: '4' };
    await publish(InterviewRecorded, { ...noShow, outcome: 'NO_SHOW', recordedAt: new Date().toISOString() });
    await publish(ApplicationResolved, { ...noShow, status: 'DECLINED', reason: 'NO_SHOW', resolvedAt: new Date().toISOString() });
    await walletBecomes(talent, { balance: '6', locked: '0', available: '6' }, 'the stake is slashed');
    expect(treasuryBefore).toBe('0');
    expect((await supply()).treasuryBalance).toBe('4');

    const released = application(talent.id, '2.5');
    await publish(ApplicationSubmitted, released);
    await walletBecomes(talent, { balance: '6', locked: '2.5', available: '3.5' }, 'the second stake is locked');
    const done = { applicationId: released.applicationId, jobId: released.jobId, talentId: talent.id, stake: '2.5' };
    await publish(InterviewRecorded, { ...done, outcome: 'ATTENDED', recordedAt: new Date().toISOString() });
    await publish(ApplicationResolved, { ...done, status: 'HIRED', reason: 'HIRED', resolvedAt: new Date().toISOString() });
    await walletBecomes(talent, { balance: '6', locked: '0', available: '6' }, 'the second stake is released');
    expect(await stakeStatus(released.applicationId)).toEqual({ status: 'RELEASED', rejection_reason: null });
    expect((await supply()).treasuryBalance).toBe('4');
  });

  it('refuses withdrawals above the available balance, to a bad checksum, or by non-members; sends a valid one', async () => {
    const tooMuch = await connector.api.request(WITHDRAW, { a: '620.000000000000000001', to: ADDRESS });
    expect(errorCode(tooMuch)).toBe('INSUFFICIENT_FUNDS');
    const badChecksum = await connector.api.request(WITHDRAW, { a: '1', to: ADDRESS.replace('fB69', 'Fb69') });
    expect(errorCode(badChecksum)).toBe('BAD_USER_INPUT');
    const lowerCase = await connector.api.request(WITHDRAW, { a: '1', to: ADDRESS.toLowerCase() });
    expect(errorCode(lowerCase)).toBe('BAD_USER_INPUT');
    const zero = await connector.api.request(WITHDRAW, { a: '0', to: ADDRESS });
    expect(errorCode(zero)).toBe('BAD_USER_INPUT');
    const outsider = await registerPersona(stack, ['TALENT']);
    expect(errorCode(await outsider.api.request(WITHDRAW, { a: '1', to: ADDRESS }))).toBe('PRECONDITION_FAILED');
    expect(errorCode(await stack.api.request(WITHDRAW, { a: '1', to: ADDRESS }))).toBe('UNAUTHENTICATED');
    expect(await walletOf(connector)).toEqual({ balance: '620', locked: '0', available: '620' });

    const { requestWithdrawal } = await connector.api.data(WITHDRAW, { a: '100.25', to: ADDRESS });
    expect(requestWithdrawal).toMatchObject({ amount: '100.25', toAddress: ADDRESS, status: 'REQUESTED', txHash: null });
    expect(await walletOf(connector)).toEqual({ balance: '519.75', locked: '0', available: '519.75' });
    const sent = await waitFor(
      async () => {
        const [w] = (await connector.api.data(MY_WITHDRAWALS)).myWithdrawals;
        return w?.status === 'SENT' && w;
      },
      30_000,
      { message: 'the withdrawal job sends it' },
    );
    expect(sent).toMatchObject({ id: requestWithdrawal.id, amount: '100.25', txHash: expect.stringMatching(/^0x[0-9a-f]{64}$/) });
    expect(await walletOf(connector)).toEqual({ balance: '519.75', locked: '0', available: '519.75' });
    const entries = (await connector.api.data(ME_WALLET)).me.wallet.entries.edges.map((e: any) => [e.node.kind, e.node.amount]);
    expect(entries[0]).toEqual(['WITHDRAWAL', '-100.25']);
    const types = (await rewardsSql(`SELECT type FROM outbox WHERE message_key = $1 ORDER BY seq`, [requestWithdrawal.id])).map((r) => r.type);
    expect(types).toEqual(['WithdrawalRequested', 'WithdrawalSent']);
    expect((await outsider.api.data(MY_WITHDRAWALS)).myWithdrawals).toEqual([]);
  });

  it('shows a wallet to its owner and to admins only', async () => {
    expect(await walletOf(connector)).not.toBeNull();
    expect(await walletAs(admin, connector)).toEqual(await walletOf(connector));
    expect(await walletAs(talent, connector)).toBeNull();
    expect((await stack.api.data(WALLET, { id: connector.id })).user.wallet).toBeNull();
    // Pagination of the entries, newest first.
    const page1 = (
      await connector.api.data(`{ me { wallet { entries(first: 2) { edges { cursor node { id kind amount } } pageInfo { hasNextPage endCursor } } } } }`)
    ).me.wallet.entries;
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (
      await connector.api.data(
        `query ($after: String) { me { wallet { entries(first: 2, after: $after) { edges { node { id kind amount } } pageInfo { hasNextPage } } } } }`,
        {
          after: page1.pageInfo.endCursor,
        },
      )
    ).me.wallet.entries;
    expect(page2.edges.map((e: any) => e.node.kind)).toEqual(['REWARD']);
    expect(page2.pageInfo.hasNextPage).toBe(false);
  });

  it('a withdrawal retried with its idempotency key holds the amount once; the same key with another amount is a CONFLICT', async () => {
    const KEYED = `mutation ($a: Decimal!, $to: String!, $k: String) { requestWithdrawal(amount: $a, toAddress: $to, idempotencyKey: $k) { id amount status } }`;
    const before = await walletOf(connector);
    const key = `e2e-${Date.now()}`;
    const first = (await connector.api.data(KEYED, { a: '1.5', to: ADDRESS, k: key })).requestWithdrawal;
    const retried = (await connector.api.data(KEYED, { a: '1.5', to: ADDRESS, k: key })).requestWithdrawal;
    expect(retried.id).toBe(first.id);
    expect(errorCode(await connector.api.request(KEYED, { a: '2', to: ADDRESS, k: key }))).toBe('CONFLICT');
    const held = (await rewardsSql(`SELECT count(*)::int AS n FROM withdrawals WHERE idempotency_key = $1`, [key]))[0].n;
    expect(held).toBe(1);
    await waitFor(async () => (await connector.api.data(MY_WITHDRAWALS)).myWithdrawals.find((w: any) => w.id === first.id && w.status === 'SENT'), 30_000, {
      message: 'the keyed withdrawal is sent',
    });
    expect(Number((await walletOf(connector)).available)).toBe(Number(before.available) - 1.5);
  });

  it('replaying every event consumed so far changes no balance and not the supply', async () => {
    const snapshot = async () => ({
      wallets: await Promise.all(people.map((p) => walletAs(admin, p))),
      supply: await supply(),
      grants: (await rewardsSql(`SELECT count(*)::int AS n FROM reward_grants`))[0].n,
      postings: (await rewardsSql(`SELECT count(*)::int AS n FROM ledger_postings`))[0].n,
      stakes: await rewardsSql(`SELECT application_id, status FROM stakes ORDER BY application_id`),
    });
    const before = await snapshot();
    expect(before.supply.distributedRewards).toBe('655'); // 25 + 10 + 600 + 20
    const inboxCount = async () => (await rewardsSql(`SELECT count(*)::int AS n FROM inbox`))[0].n as number;
    const inboxBefore = await inboxCount();

    // identity's events, read back from its outbox with their ids, and every envelope published here ...
    const identityEvents = await stack.services.identity.sql<{ topic: string; message_key: string; envelope: EventEnvelope }>(
      `SELECT topic, message_key, envelope FROM outbox ORDER BY seq`,
    );
    const replay = [
      ...identityEvents.map((r) => ({ topic: r.topic, envelope: r.envelope })),
      ...published,
      // ... and the ones published here once more under new ids (a producer re-publishing, not a redelivery).
      ...published.map(({ topic, envelope }) => ({ topic, envelope: { ...envelope, id: randomUUID() } })),
    ];
    for (const { topic, envelope } of replay) {
      await producer.send({ topic: stack.topic(topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });
    }
    await waitForConsumerToCatchUp();
    // The copies with new ids passed the inbox (each is recorded as applied) and changed nothing either;
    // the copies with the original ids came first on the same partitions, and were skipped by the inbox.
    await waitFor(async () => (await inboxCount()) === inboxBefore + published.length, 30_000, { message: 'new-id copies consumed' });
    expect(await snapshot()).toEqual(before);
    // Nothing was dead-lettered by rewards along the way.
    expect(stack.services.rewards.process.output()).not.toMatch(/dead-lettering|message dead-lettered/);
  });
});

/** Until the rewards consumer group has committed every message of the topics it reads. */
const waitForConsumerToCatchUp = () =>
  waitForConsumerCaughtUp(
    groupId,
    ['identity.events.v1', 'jobs.events.v1', 'referrals.events.v1', 'payments.events.v1'].map((t) => stack.topic(t)),
  );
