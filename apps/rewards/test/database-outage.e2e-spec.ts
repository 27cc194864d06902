/**
 * The finding of issue 9, on the real stack: rewards holds a backlog of TalentScreened events
 * while its database is unreachable for 12 s (this database only: ALLOW_CONNECTIONS off and its
 * connections cut; the server is shared). Every event is retried until the database is back,
 * applied once, and nothing is dead-lettered.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import {
  createInspector,
  databaseOutage,
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

jest.setTimeout(240_000);

const OUTAGE_MS = 12_000;
const TALENTS = 6;
const WALLET = `query ($id: ID!) { user(id: $id) { id wallet { balance } } }`;

let stack: Stack;
let admin: Persona;
let groupId: string;

const rewardsSql = <T = Record<string, any>>(text: string, params?: unknown[]) => stack.services.rewards.sql<T>(text, params);

async function member(person: Persona): Promise<Persona> {
  await makeMember(stack, person, admin);
  await waitFor(async () => (await rewardsSql('SELECT 1 FROM members WHERE user_id = $1', [person.id])).length > 0, 30_000, {
    message: `rewards learns that ${person.id} is a member`,
  });
  return person;
}

beforeAll(async () => {
  groupId = `rewards-outage-${randomBytes(4).toString('hex')}`;
  stack = await startStack({ services: ['rewards'], env: { rewards: { KAFKA_GROUP_ID: groupId } } });
  admin = await signInAdmin(stack);
});

afterAll(async () => {
  await stack?.stop();
});

it(`a ${OUTAGE_MS / 1000} s outage of rewards' database loses no event: each screening is paid once, nothing is dead-lettered`, async () => {
  const inspector = await member(await createInspector(stack, admin));
  const talents: Persona[] = [];
  for (let i = 0; i < TALENTS; i++) talents.push(await member(await registerPersona(stack, ['TALENT'], `Talent ${i}`)));

  // The test's own connection survives, to look inside afterwards.
  const [{ pid: ownPid }] = await rewardsSql<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const outage = databaseOutage(stack.services.rewards.db.name, OUTAGE_MS, { keepPids: [ownPid] });
  // identity is up: the screenings (and their TalentScreened events) go on meanwhile.
  for (const talent of talents) await screenApproved(inspector, talent);
  expect((await outage).terminated).toBeGreaterThan(0);

  const expected = String(25 * TALENTS);
  await waitFor(async () => (await inspector.api.data(WALLET, { id: inspector.id })).user.wallet.balance === expected, 60_000, {
    message: `the inspector is paid ${expected}`,
  });
  await waitForConsumerCaughtUp(groupId, [stack.topic('identity.events.v1')]);
  expect((await inspector.api.data(WALLET, { id: inspector.id })).user.wallet.balance).toBe(expected);
  const grants = await rewardsSql<{ n: number }>(
    `SELECT count(*)::int AS n FROM reward_grants WHERE beneficiary_id = $1 AND policy_key = 'talent.screened' AND status = 'PAID'`,
    [inspector.id],
  );
  expect(grants[0].n).toBe(TALENTS);

  // Nothing in identity.events.v1.dlq from rewards.
  const { stdout } = await promisify(execFile)(process.execPath, ['tools/dlq/dlq.mjs', 'list', '--topic', 'identity.events.v1', '--json', '--group', groupId], {
    cwd: path.resolve(__dirname, '../../..'),
    env: { ...process.env, KAFKA_TOPIC_PREFIX: stack.topicPrefix },
  });
  expect(JSON.parse(stdout)).toEqual([]);
  // The service lived through it, and says what happened: retries, no partition held any more, no dead letter.
  expect((await fetch(`${stack.services.rewards.process.url}/ready`)).status).toBe(200);
  const metrics = await (await fetch(`${stack.services.rewards.process.url}/metrics`)).text();
  const sample = (name: string) =>
    metrics
      .split('\n')
      .filter((line) => line.startsWith(`${name}{`) && line.includes(`topic="${stack.topic('identity.events.v1')}"`))
      .reduce((sum, line) => sum + Number(line.split(' ').pop()), 0);
  expect(sample('event_consumer_retries_total')).toBeGreaterThan(0);
  expect(sample('event_consumer_partition_paused')).toBe(0);
  expect(sample('event_consumer_dead_letters_total')).toBe(0);
});
