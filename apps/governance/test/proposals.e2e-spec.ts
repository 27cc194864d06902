/**
 * Proposals end to end: identity, rewards, governance and the gateway as real processes, with
 * periods of seconds (governance's parameter seeds come from its environment). Balances reach
 * governance as rewards' BalanceChanged envelopes the test publishes on rewards' topic; the
 * treasury balance as a TreasuryBalanceChanged. Covers refusals, a vote weighed at the snapshot,
 * a restart of governance mid-vote, the timelock, execution once, defeat, and both cancellations.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { BalanceChanged, createEvent, TreasuryBalanceChanged, type EventDefinition, type EventEnvelope, type PayloadOf } from '@talent/events';
import { errorCode, makeMember, registerPersona, signInAdmin, startStack, waitFor, type Persona, type Stack } from '@talent/testing';

jest.setTimeout(180_000);

const CREATE = `mutation ($input: CreateProposalInput!) {
  createProposal(input: $input) { id status kind title quorum snapshotAt startsAt endsAt proposer { id } parameterChanges { key value } grantAmount grantRecipient { id } }
}`;
const PROPOSAL = `query ($id: ID!) {
  proposal(id: $id) { id status forVotes againstVotes abstainVotes quorum endsAt executableAt cancelReason votes { voter { id } support weight } }
}`;
const VOTE = `mutation ($id: ID!, $support: VoteSupport!) { castVote(proposalId: $id, support: $support, reason: "e2e") { support weight reason voter { id } proposal { id } } }`;
const EXECUTE = `mutation ($id: ID!) { executeProposal(proposalId: $id) { id status } }`;
const CANCEL = `mutation ($id: ID!, $reason: String) { cancelProposal(proposalId: $id, reason: $reason) { id status cancelReason } }`;
const PARAMETERS = `{ governanceParameters { key value proposal { id status } } }`;

let stack: Stack;
let admin: Persona;
let producer: Producer;
const people: Record<'alice' | 'bob' | 'carol' | 'erin' | 'dave', Persona> = {} as never;
/** Proposals created by the main test and checked by the next ones. */
const short = { defeated: '', vetoed: '' };

const governanceSql = <T = Record<string, any>>(text: string, params?: unknown[]) => stack.services.governance.sql<T>(text, params);

async function publish<D extends EventDefinition>(definition: D, payload: PayloadOf<D>): Promise<void> {
  const envelope = createEvent(definition, payload) as EventEnvelope;
  await producer.send({ topic: stack.topic(definition.topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });
}

/** A member holding `balance` BTRST since a minute ago, once governance knows both. */
async function member(displayName: string, balance: string): Promise<Persona> {
  const person = await registerPersona(stack, ['TALENT'], displayName);
  await makeMember(stack, person, admin);
  if (balance !== '0') {
    await publish(BalanceChanged, { userId: person.id, balance, locked: '0', entryId: randomUUID(), changedAt: new Date(Date.now() - 60_000).toISOString() });
  }
  await waitFor(
    async () =>
      (await governanceSql('SELECT 1 FROM members WHERE user_id = $1', [person.id])).length > 0 &&
      (balance === '0' || (await governanceSql('SELECT 1 FROM balance_checkpoints WHERE user_id = $1', [person.id])).length > 0),
    30_000,
    { message: `governance learns that ${displayName} is a member holding ${balance}` },
  );
  return person;
}

const proposal = async (id: string) => (await stack.api.data(PROPOSAL, { id })).proposal;
const statusBecomes = (id: string, status: string, timeoutMs = 30_000) =>
  waitFor(async () => (await proposal(id)).status === status, timeoutMs, { message: `proposal ${id} becomes ${status}` });
const propose = async (who: Persona, input: Record<string, unknown>) =>
  (await who.api.data(CREATE, { input: { title: 'A proposal', description: 'Discussed on the forum.', kind: 'TEXT', ...input } })).createProposal;
const decided = async (id: string) =>
  (
    await governanceSql<{ outcome: string }>(
      `SELECT envelope->'payload'->>'outcome' AS outcome FROM outbox WHERE type = 'proposal.decided' AND message_key = $1 ORDER BY seq`,
      [id],
    )
  ).map((r) => r.outcome);

beforeAll(async () => {
  stack = await startStack({
    services: ['rewards', 'governance'],
    env: {
      governance: {
        GOVERNANCE_VOTING_DELAY_SECONDS: '2',
        GOVERNANCE_VOTING_PERIOD_SECONDS: '4',
        GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: '3',
        GOVERNANCE_TIMELOCK_SECONDS: '3',
        GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS: '0',
        GOVERNANCE_GRACE_PERIOD_SECONDS: '600',
        GOVERNANCE_QUORUM_FRACTION: '0.3',
        GOVERNANCE_PROPOSAL_THRESHOLD: '20',
      },
    },
  });
  admin = await signInAdmin(stack);
  const kafka = new Kafka({ clientId: 'proposals-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  // Members hold 100 + 50 + 30 + 10 = 190 (dave none): quorum 30% = 57.
  [people.alice, people.bob, people.carol, people.erin, people.dave] = await Promise.all([
    member('Alice', '100'),
    member('Bob', '50'),
    member('Carol', '30'),
    member('Erin', '10'),
    member('Dave', '0'),
  ]);
});

afterAll(async () => {
  await producer?.disconnect();
  await stack?.stop();
});

describe('proposals through the gateway', () => {
  it('refuses proposers without power, anonymous callers, unknown keys, out-of-range values and grants beyond the treasury', async () => {
    const { alice, dave } = people;
    const outsider = await registerPersona(stack, ['TALENT'], 'Outsider');
    expect(errorCode(await dave.api.request(CREATE, { input: { title: 'No power', description: 'x', kind: 'TEXT' } }))).toBe('PRECONDITION_FAILED');
    expect(errorCode(await outsider.api.request(CREATE, { input: { title: 'Not a member', description: 'x', kind: 'TEXT' } }))).toBe('PRECONDITION_FAILED');
    expect(errorCode(await stack.api.request(CREATE, { input: { title: 'Anonymous', description: 'x', kind: 'TEXT' } }))).toBe('UNAUTHENTICATED');
    const change = (key: string, value: string) =>
      alice.api.request(CREATE, { input: { title: 'Change', description: 'x', kind: 'PARAMETER_CHANGE', parameterChanges: [{ key, value }] } });
    const unknown = await change('platform.secretKnob', '1');
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    expect(errorCode(await change('platform.feeRate', '5'))).toBe('BAD_USER_INPUT');
    expect(errorCode(await alice.api.request(CREATE, { input: { title: 'Too short', description: 'x', kind: 'TEXT', votingPeriodSeconds: 1 } }))).toBe(
      'BAD_USER_INPUT',
    );

    await publish(TreasuryBalanceChanged, {
      entryId: randomUUID(),
      balance: '1000',
      delta: '1000',
      reason: 'FEE_CONVERSION',
      changedAt: new Date().toISOString(),
    });
    await waitFor(async () => (await governanceSql(`SELECT 1 FROM treasury_balance`)).length > 0, 30_000, {
      message: 'governance learns the treasury balance',
    });
    const grant = (amount: string, recipientId = people.erin.id) =>
      alice.api.request(CREATE, { input: { title: 'Grant', description: 'x', kind: 'GRANT', grant: { recipientId, amount } } });
    expect(errorCode(await grant('1000.000000000000000001'))).toBe('INSUFFICIENT_FUNDS');
    expect(errorCode(await grant('10', outsider.id))).toBe('BAD_USER_INPUT');
    expect(await governanceSql(`SELECT 1 FROM proposals`)).toEqual([]);
    const granted = (await grant('1000')).data!.createProposal;
    expect(granted).toMatchObject({ kind: 'GRANT', grantAmount: '1000', grantRecipient: { id: people.erin.id }, status: 'PENDING', quorum: '57' });
  });

  it('weighs votes at the snapshot, survives a restart mid-vote, and executes once after the timelock', async () => {
    const { alice, bob, carol, erin, dave } = people;
    const created = await propose(alice, {
      kind: 'PARAMETER_CHANGE',
      parameterChanges: [{ key: 'platform.feeRate', value: '0.080' }],
      votingPeriodSeconds: 42,
    });
    // Two short votes that end while governance is down (checked by the next tests).
    short.defeated = (await propose(alice, { title: 'Too few voters', votingPeriodSeconds: 8 })).id;
    short.vetoed = (await propose(alice, { title: 'To be vetoed', votingPeriodSeconds: 8 })).id;
    expect(created).toMatchObject({
      status: 'PENDING',
      quorum: '57',
      proposer: { id: alice.id },
      parameterChanges: [{ key: 'platform.feeRate', value: '0.08' }],
    });
    expect(errorCode(await bob.api.request(VOTE, { id: created.id, support: 'FOR' }))).toBe('PRECONDITION_FAILED'); // not open yet
    // Bob receives 1000 BTRST after the snapshot: they do not count on this proposal.
    await publish(BalanceChanged, { userId: bob.id, balance: '1050', locked: '0', entryId: randomUUID(), changedAt: new Date().toISOString() });
    await waitFor(
      async () => (await stack.api.data(`query ($id: ID!) { user(id: $id) { votingPower } }`, { id: bob.id })).user.votingPower === '1050',
      30_000,
      {
        message: "bob's new balance reaches governance",
      },
    );
    await statusBecomes(created.id, 'ACTIVE');
    // Each proposal opens on its own lifecycle job: the two short ones, created after it, may open a moment later.
    await Promise.all([statusBecomes(short.defeated, 'ACTIVE'), statusBecomes(short.vetoed, 'ACTIVE')]);
    await erin.api.data(VOTE, { id: short.defeated, support: 'FOR' }); // 10: a majority, far from the quorum of 57
    await alice.api.data(VOTE, { id: short.vetoed, support: 'FOR' }); // 100

    expect((await alice.api.data(VOTE, { id: created.id, support: 'FOR' })).castVote).toEqual({
      support: 'FOR',
      weight: '100',
      reason: 'e2e',
      voter: { id: alice.id },
      proposal: { id: created.id },
    });
    expect((await bob.api.data(VOTE, { id: created.id, support: 'AGAINST' })).castVote.weight).toBe('50');
    expect(errorCode(await bob.api.request(VOTE, { id: created.id, support: 'FOR' }))).toBe('CONFLICT');
    expect(errorCode(await dave.api.request(VOTE, { id: created.id, support: 'FOR' }))).toBe('PRECONDITION_FAILED'); // no power at the snapshot

    // A restart takes up to ~30 s here (the consumer group rejoins): the vote lasts 42 s.
    await stack.services.governance.restart();
    expect((await carol.api.data(VOTE, { id: created.id, support: 'FOR' })).castVote.weight).toBe('30');
    const during = await proposal(created.id);
    expect([during.status, during.forVotes, during.againstVotes, during.abstainVotes]).toEqual(['ACTIVE', '130', '50', '0']);

    await statusBecomes(created.id, 'QUEUED', 45_000);
    expect(errorCode(await erin.api.request(VOTE, { id: created.id, support: 'AGAINST' }))).toBe('PRECONDITION_FAILED'); // voting ended
    expect(errorCode(await erin.api.request(EXECUTE, { id: created.id }))).toBe('PRECONDITION_FAILED'); // timelock
    const { executableAt } = await proposal(created.id);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, new Date(executableAt).getTime() - Date.now() + 50)));
    expect((await erin.api.data(EXECUTE, { id: created.id })).executeProposal).toEqual({ id: created.id, status: 'EXECUTED' });
    expect(errorCode(await alice.api.request(EXECUTE, { id: created.id }))).toBe('CONFLICT');
    expect(errorCode(await stack.api.request(EXECUTE, { id: created.id }))).toBe('UNAUTHENTICATED');

    const fee = (await stack.api.data(PARAMETERS)).governanceParameters.find((p: { key: string }) => p.key === 'platform.feeRate');
    expect(fee).toEqual({ key: 'platform.feeRate', value: '0.08', proposal: { id: created.id, status: 'EXECUTED' } });
    expect((await proposal(created.id)).votes).toEqual([
      { voter: { id: alice.id }, support: 'FOR', weight: '100' },
      { voter: { id: bob.id }, support: 'AGAINST', weight: '50' },
      { voter: { id: carol.id }, support: 'FOR', weight: '30' },
    ]);
    expect(await decided(created.id)).toEqual(['QUEUED', 'EXECUTED']);
    expect(await governanceSql(`SELECT count(*)::int AS n FROM outbox WHERE type = 'ParameterChanged'`)).toEqual([{ n: 1 }]);
  });

  it('defeats a proposal that missed quorum (its end passed while governance restarted), which then cannot be executed', async () => {
    await statusBecomes(short.defeated, 'DEFEATED');
    expect((await proposal(short.defeated)).forVotes).toBe('10');
    expect(errorCode(await people.alice.api.request(EXECUTE, { id: short.defeated }))).toBe('PRECONDITION_FAILED');
    expect(await decided(short.defeated)).toEqual(['DEFEATED']);
  });

  it('lets the proposer cancel, and an ADMIN guardian cancel a queued proposal with a reason', async () => {
    const { alice, bob } = people;
    const mine = await propose(alice, {});
    expect(errorCode(await bob.api.request(CANCEL, { id: mine.id }))).toBe('FORBIDDEN');
    expect((await alice.api.data(CANCEL, { id: mine.id })).cancelProposal).toEqual({ id: mine.id, status: 'CANCELED', cancelReason: null });

    const queued = { id: short.vetoed };
    await statusBecomes(queued.id, 'QUEUED');
    expect(errorCode(await admin.api.request(CANCEL, { id: queued.id }))).toBe('BAD_USER_INPUT'); // a guardian gives a reason
    const vetoed = (await admin.api.data(CANCEL, { id: queued.id, reason: 'Conflicts with the charter' })).cancelProposal;
    expect(vetoed).toEqual({ id: queued.id, status: 'CANCELED', cancelReason: 'Conflicts with the charter' });
    expect(errorCode(await alice.api.request(EXECUTE, { id: queued.id }))).toBe('PRECONDITION_FAILED');
    expect(await decided(queued.id)).toEqual(['QUEUED', 'CANCELED']);
    expect((await stack.api.data(`{ proposals(status: CANCELED) { id } }`)).proposals.map((p: { id: string }) => p.id).sort()).toEqual(
      [mine.id, queued.id].sort(),
    );
  });
});
