/**
 * The governance service end to end: identity, rewards, governance and the gateway as real
 * processes on fresh databases, Redis and the Kafka-protocol broker. Balances reach governance
 * as rewards' BalanceChanged (a real reward for screening) or as envelopes the test publishes
 * on rewards' topic, keyed like rewards keys them.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { BalanceChanged, createEvent, type EventEnvelope, type PayloadOf } from '@talent/events';
import {
  createInspector,
  errorCode,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  waitFor,
  type Persona,
  type Stack,
} from '@talent/testing';

jest.setTimeout(180_000);

const USER = `query ($id: ID!) { user(id: $id) { id displayName votingPower delegate { id } } }`;
const DELEGATE = `mutation ($to: ID!) { delegateVotes(toUserId: $to) { id displayName votingPower delegate { id displayName } } }`;

let stack: Stack;
let admin: Persona;
let kafka: Kafka;
let producer: Producer;

const governanceSql = <T = Record<string, any>>(text: string, params?: unknown[]) => stack.services.governance.sql<T>(text, params);

async function publishBalance(payload: PayloadOf<typeof BalanceChanged>): Promise<EventEnvelope> {
  const envelope = createEvent(BalanceChanged, payload) as EventEnvelope;
  await producer.send({ topic: stack.topic(BalanceChanged.topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });
  return envelope;
}

/** A KYC-approved user, once governance has seen the KycApproved event. */
async function member(persona?: Persona, displayName = 'Member'): Promise<Persona> {
  const person = persona ?? (await registerPersona(stack, ['TALENT'], displayName));
  await makeMember(stack, person, admin);
  await waitFor(async () => (await governanceSql('SELECT 1 FROM members WHERE user_id = $1', [person.id])).length > 0, 30_000, {
    message: `governance learns that ${person.id} is a member`,
  });
  return person;
}

const userOf = async (id: string) => (await stack.api.data(USER, { id })).user;
const powerBecomes = (id: string, power: string, what: string) => waitFor(async () => (await userOf(id))?.votingPower === power, 30_000, { message: what });

beforeAll(async () => {
  stack = await startStack({ services: ['rewards', 'governance'] });
  admin = await signInAdmin(stack);
  kafka = new Kafka({ clientId: 'governance-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await stack?.stop();
});

let inspector: Persona;
let talent: Persona;

describe('voting power and delegation through the gateway', () => {
  it('gives the inspector the 25 BTRST rewards paid for a screening as voting power', async () => {
    inspector = await member(await createInspector(stack, admin));
    talent = await member(undefined, 'Talent');
    expect(await userOf(inspector.id)).toEqual({ id: inspector.id, displayName: 'Inspector', votingPower: '0', delegate: null });

    await screenApproved(inspector, talent);
    await powerBecomes(inspector.id, '25', "the inspector's reward reaches governance as voting power");
    expect(await userOf(inspector.id)).toEqual({ id: inspector.id, displayName: 'Inspector', votingPower: '25', delegate: null });
    const [checkpoint] = await governanceSql(`SELECT trim_scale(balance)::text AS balance FROM balance_checkpoints WHERE user_id = $1`, [inspector.id]);
    expect(checkpoint).toEqual({ balance: '25' });
  });

  it('moves the power to the delegate, and back when the inspector delegates to themselves', async () => {
    const { delegateVotes } = await inspector.api.data(DELEGATE, { to: talent.id });
    expect(delegateVotes).toEqual({ id: inspector.id, displayName: 'Inspector', votingPower: '0', delegate: { id: talent.id, displayName: 'Talent' } });
    expect(await userOf(talent.id)).toEqual({ id: talent.id, displayName: 'Talent', votingPower: '25', delegate: null });
    expect((await userOf(inspector.id)).delegate).toEqual({ id: talent.id });

    const back = (await inspector.api.data(DELEGATE, { to: inspector.id })).delegateVotes;
    expect(back).toEqual({ id: inspector.id, displayName: 'Inspector', votingPower: '25', delegate: null });
    expect((await userOf(talent.id)).votingPower).toBe('0');
    expect(await governanceSql(`SELECT delegatee_id FROM delegations WHERE delegator_id = $1 ORDER BY from_time, id`, [inspector.id])).toEqual([
      { delegatee_id: talent.id },
      { delegatee_id: null },
    ]);
  });

  it('builds checkpoints from published BalanceChanged: a duplicate and a late, older event change nothing', async () => {
    const holder = await member(undefined, 'Holder');
    const now = Date.now();
    const latest = { userId: holder.id, balance: '40.5', locked: '10', entryId: randomUUID(), changedAt: new Date(now - 60_000).toISOString() };
    await publishBalance(latest);
    await publishBalance(latest); // the same ledger entry again (another envelope id)
    await publishBalance({ userId: holder.id, balance: '7', locked: '0', entryId: randomUUID(), changedAt: new Date(now - 120_000).toISOString() });
    await waitFor(async () => (await governanceSql(`SELECT 1 FROM balance_checkpoints WHERE user_id = $1`, [holder.id])).length === 2, 30_000, {
      message: 'governance records both ledger entries once',
    });
    expect((await userOf(holder.id)).votingPower).toBe('40.5');

    // Delegated power adds up: the holder delegates to the inspector.
    await holder.api.data(DELEGATE, { to: inspector.id });
    expect((await userOf(inspector.id)).votingPower).toBe('65.5');
    expect((await userOf(holder.id)).votingPower).toBe('0');
  });

  it('refuses non-members, unknown targets, malformed ids and anonymous callers', async () => {
    const outsider = await registerPersona(stack, ['TALENT'], 'Outsider');
    const refused = await outsider.api.request(DELEGATE, { to: inspector.id });
    expect(errorCode(refused)).toBe('PRECONDITION_FAILED');

    expect(errorCode(await talent.api.request(DELEGATE, { to: randomUUID() }))).toBe('NOT_FOUND');
    expect(errorCode(await talent.api.request(DELEGATE, { to: outsider.id }))).toBe('NOT_FOUND');
    expect(errorCode(await talent.api.request(DELEGATE, { to: 'not-a-uuid' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.api.request(DELEGATE, { to: inspector.id }))).toBe('UNAUTHENTICATED');

    expect(await governanceSql(`SELECT 1 FROM delegations WHERE delegator_id IN ($1, $2)`, [outsider.id, talent.id])).toEqual([]);
    expect(await userOf(outsider.id)).toEqual({ id: outsider.id, displayName: 'Outsider', votingPower: '0', delegate: null });
  });
});
