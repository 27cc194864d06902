/**
 * The matching service on the real stack (identity, matching and the gateway as processes,
 * fresh databases, a Kafka-protocol broker), driven like a frontend drives it. The jobs
 * service is not part of this stack: jobs are "posted" and "closed" by publishing valid
 * JobPosted / JobClosed envelopes on jobs.events.v1, and Job.matches is read the way the
 * gateway reads it once jobs is there: an `_entities` call on the matching subgraph.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { createEvent, JobClosed, JobPosted, type PayloadOf } from '@talent/events';
import {
  createInspector,
  errorCode,
  GraphQLClient,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  waitFor,
  type Persona,
  type Stack,
} from '@talent/testing';

// Jest 30 reads testTimeout only from the global config, not from the e2e project: set it here.
jest.setTimeout(120_000);

const UPSERT = `mutation ($input: TalentProfileInput!) {
  upsertTalentProfile(input: $input) {
    headline skills yearsExperience hourlyRate { amount currency } country hoursPerWeek openToWork updatedAt user { id }
  }
}`;
const USER_WITH_PROFILE = `query ($id: ID!) {
  user(id: $id) { id displayName talentProfile { headline skills yearsExperience hourlyRate { amount currency } country hoursPerWeek openToWork } }
}`;
const PROFILE = `query ($id: ID!) { talentProfile(userId: $id) { skills hourlyRate { amount currency } user { id displayName } } }`;
const JOB_MATCHES = `query ($reps: [_Any!]!, $first: Int) {
  _entities(representations: $reps) { ... on Job { id matches(first: $first) { id rank score reasons createdAt talent { id } job { id } } } }
}`;
const STATS = `{ matchingStats { jobsPosted matchRate24h medianSecondsToFirstMatch averageCandidatesPerJob } }`;

interface MatchView {
  id: string;
  rank: number;
  score: number;
  reasons: string[];
  createdAt: string;
  talent: { id: string };
  job: { id: string };
}

let stack: Stack;
let admin: Persona;
let inspector: Persona;
let subgraph: GraphQLClient;
let producer: Producer;
let consumer: Consumer;
const proposals: Array<{ type: string; key: string; payload: any }> = [];

/** Skills unique to this run and test, so that jobs only ever match the talent a test made for them. */
const skillSet = (label: string, n = 3) => Array.from({ length: n }, (_, i) => `${label}-${randomBytes(3).toString('hex')}-${i}`);

const profileInput = (overrides: Record<string, unknown> = {}) => ({
  headline: 'Backend engineer, TypeScript and PostgreSQL',
  skills: ['TypeScript', 'PostgreSQL'],
  yearsExperience: 6,
  hourlyRate: { amount: '80', currency: 'USD' },
  country: 'US',
  hoursPerWeek: 40,
  openToWork: true,
  ...overrides,
});

const matchingSql = <T = Record<string, any>>(text: string, params?: unknown[]) => stack.services.matching.sql<T>(text, params);

/** A talent with a profile; optionally a member (KYC approved) and screened, once matching knows it. */
async function talent(options: { skills: string[]; member?: boolean; screened?: boolean; profile?: Record<string, unknown> }): Promise<Persona> {
  const person = await registerPersona(stack, ['TALENT'], 'Talent');
  await person.api.data(UPSERT, { input: profileInput({ skills: options.skills, ...options.profile }) });
  if (options.member ?? true) await makeMember(stack, person, admin);
  if (options.screened ?? true) await screenApproved(inspector, person);
  const eligible = (options.member ?? true) && (options.screened ?? true) && (options.profile?.openToWork ?? true);
  await waitFor(
    async () => {
      const [row] = await matchingSql(
        `SELECT p.eligible, e.member, e.screening FROM talent_profiles p LEFT JOIN talent_eligibility e ON e.talent_id = p.user_id WHERE p.user_id = $1`,
        [person.id],
      );
      return row && row.eligible === eligible && row.member === !!(options.member ?? true) && (row.screening === 'APPROVED') === !!(options.screened ?? true);
    },
    30_000,
    { message: `matching learns the eligibility of ${person.id}` },
  );
  return person;
}

const jobPayload = (clientId: string, overrides: Partial<PayloadOf<typeof JobPosted>> = {}): PayloadOf<typeof JobPosted> => ({
  jobId: randomUUID(),
  clientId,
  organizationId: null,
  title: 'Backend engineer',
  skills: ['typescript'],
  minYearsExperience: 3,
  countries: [],
  budget: { min: '60.00', max: '100.00', currency: 'USD', unit: 'HOURLY' },
  hoursPerWeek: 40,
  durationWeeks: 12,
  postedAt: new Date().toISOString(),
  ...overrides,
});

async function publish(topic: string, key: string, envelope: unknown): Promise<void> {
  await producer.send({ topic: stack.topic(topic), acks: -1, messages: [{ key, value: JSON.stringify(envelope) }] });
}

async function postJob(payload: PayloadOf<typeof JobPosted>): Promise<void> {
  await publish('jobs.events.v1', payload.jobId, createEvent(JobPosted, payload));
  await waitFor(async () => (await matchingSql(`SELECT ranked_at FROM jobs WHERE id = $1`, [payload.jobId]))[0]?.ranked_at, 20_000, {
    message: `matching ranks job ${payload.jobId}`,
  });
}

const storedMatches = async (jobId: string) =>
  (await matchingSql<{ talent_id: string }>(`SELECT talent_id FROM matches WHERE job_id = $1 ORDER BY rank`, [jobId])).map((r) => r.talent_id);

const jobMatches = (token: string | undefined, jobId: string, first?: number) =>
  subgraph.withToken(token).request<{ _entities: Array<{ id: string; matches: MatchView[] }> }>(JOB_MATCHES, {
    reps: [{ __typename: 'Job', id: jobId }],
    first,
  });

beforeAll(async () => {
  stack = await startStack({ services: ['matching'] });
  admin = await signInAdmin(stack);
  inspector = await createInspector(stack, admin);
  subgraph = stack.subgraph('matching'); // signed as the gateway signs
  const kafka = new Kafka({ clientId: 'matching-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  consumer = kafka.consumer({ groupId: `matching-e2e-${randomUUID()}`, maxWaitTimeInMs: 100, allowAutoTopicCreation: true });
  await consumer.connect();
  await consumer.subscribe({ topic: stack.topic('matching.events.v1'), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const envelope = JSON.parse(String(message.value));
      proposals.push({ type: envelope.type, key: String(message.key), payload: envelope.payload });
    },
  });
});

afterAll(async () => {
  await consumer?.disconnect().catch(() => undefined);
  await producer?.disconnect().catch(() => undefined);
  await stack?.stop();
});

describe('talent profiles', () => {
  it('a talent upserts their profile, normalised, and reads it back through the gateway, composed with identity', async () => {
    const person = await registerPersona(stack, ['TALENT'], 'Grace Hopper');
    const res = await person.api.request(UPSERT, {
      input: profileInput({ skills: [' TypeScript', 'postgresql ', 'Kafka', 'typescript'], hourlyRate: { amount: '85.5', currency: 'usd' }, country: 'us' }),
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.upsertTalentProfile).toMatchObject({
      headline: 'Backend engineer, TypeScript and PostgreSQL',
      skills: ['typescript', 'postgresql', 'kafka'],
      yearsExperience: 6,
      hourlyRate: { amount: '85.50', currency: 'USD' },
      country: 'US',
      hoursPerWeek: 40,
      openToWork: true,
      user: { id: person.id },
    });

    const { user } = await stack.api.data(USER_WITH_PROFILE, { id: person.id });
    expect(user).toEqual({
      id: person.id,
      displayName: 'Grace Hopper',
      talentProfile: {
        headline: 'Backend engineer, TypeScript and PostgreSQL',
        skills: ['typescript', 'postgresql', 'kafka'],
        yearsExperience: 6,
        hourlyRate: { amount: '85.50', currency: 'USD' },
        country: 'US',
        hoursPerWeek: 40,
        openToWork: true,
      },
    });
    // talentProfile(userId) is public too, and its user resolves through identity.
    expect((await stack.api.data(PROFILE, { id: person.id })).talentProfile).toEqual({
      skills: ['typescript', 'postgresql', 'kafka'],
      hourlyRate: { amount: '85.50', currency: 'USD' },
      user: { id: person.id, displayName: 'Grace Hopper' },
    });

    // Upserting again replaces it.
    await person.api.data(UPSERT, { input: profileInput({ skills: ['Go'], yearsExperience: 7, openToWork: false }) });
    expect((await stack.api.data(USER_WITH_PROFILE, { id: person.id })).user.talentProfile).toMatchObject({
      skills: ['go'],
      yearsExperience: 7,
      openToWork: false,
    });
  });

  it('is null for a user without a profile, and for an unknown id', async () => {
    const person = await registerPersona(stack, ['TALENT']);
    expect((await stack.api.data(USER_WITH_PROFILE, { id: person.id })).user.talentProfile).toBeNull();
    expect((await stack.api.data(PROFILE, { id: randomUUID() })).talentProfile).toBeNull();
    expect((await stack.api.data(PROFILE, { id: 'not-a-uuid' })).talentProfile).toBeNull();
  });

  it.each([
    ['a 2-character headline', { headline: 'ab' }, 'headline'],
    ['no skills', { skills: [] }, 'skills'],
    ['31 skills', { skills: Array.from({ length: 31 }, (_, i) => `skill ${i}`) }, 'skills'],
    ['a 41-character skill', { skills: ['x'.repeat(41)] }, 'skills'],
    ['61 years of experience', { yearsExperience: 61 }, 'yearsExperience'],
    ['a zero rate', { hourlyRate: { amount: '0', currency: 'USD' } }, 'hourlyRate.amount'],
    ['a rate with 3 decimals', { hourlyRate: { amount: '80.001', currency: 'USD' } }, 'hourlyRate.amount'],
    ['an unknown currency', { hourlyRate: { amount: '80', currency: 'ABC' } }, 'hourlyRate.currency'],
    ['an unknown country', { country: 'XX' }, 'country'],
    ['81 hours a week', { hoursPerWeek: 81 }, 'hoursPerWeek'],
  ])('refuses %s with BAD_USER_INPUT on its field, and stores nothing', async (_, override, field) => {
    const person = await registerPersona(stack, ['TALENT']);
    const res = await person.api.request(UPSERT, { input: profileInput(override) });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions!.field).toBe(field);
    expect(res.data ?? null).toBeNull();
    expect(await matchingSql('SELECT 1 FROM talent_profiles WHERE user_id = $1', [person.id])).toHaveLength(0);
  });

  it('only talent keep a profile: FORBIDDEN for a client, UNAUTHENTICATED anonymously', async () => {
    const client = await registerPersona(stack, ['CLIENT']);
    expect(errorCode(await client.api.request(UPSERT, { input: profileInput() }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.api.request(UPSERT, { input: profileInput() }))).toBe('UNAUTHENTICATED');
    expect(await matchingSql('SELECT 1 FROM talent_profiles WHERE user_id = $1', [client.id])).toHaveLength(0);
  });

  it('publishes TalentProfileUpdated on matching.events.v1, keyed by the talent', async () => {
    const person = await registerPersona(stack, ['TALENT']);
    await person.api.data(UPSERT, { input: profileInput({ skills: ['Rust', 'Go'], hourlyRate: { amount: '120', currency: 'EUR' }, country: 'DE' }) });
    const event = await waitFor(() => proposals.find((p) => p.type === 'TalentProfileUpdated' && p.key === person.id), 20_000, {
      message: 'TalentProfileUpdated consumed',
    });
    expect(event.payload).toMatchObject({
      talentId: person.id,
      skills: ['rust', 'go'],
      hourlyRate: { amount: '120.00', currency: 'EUR' },
      country: 'DE',
      yearsExperience: 6,
      hoursPerWeek: 40,
      openToWork: true,
    });
  });
});

describe('matching', () => {
  let client: Persona;
  let stranger: Persona;
  let skills: string[];
  let strong: Persona;
  let weaker: Persona;
  let unscreened: Persona;
  let job: PayloadOf<typeof JobPosted>;

  beforeAll(async () => {
    client = await registerPersona(stack, ['CLIENT'], 'Client');
    stranger = await registerPersona(stack, ['CLIENT'], 'Stranger');
    skills = skillSet('match');
    // All three skills in budget; two of three skills; a perfect profile that is not screened yet.
    strong = await talent({ skills });
    weaker = await talent({ skills: skills.slice(0, 2), profile: { hourlyRate: { amount: '95', currency: 'USD' } } });
    unscreened = await talent({ skills, screened: false });
    job = jobPayload(client.id, { skills, minYearsExperience: 5 });
    await postJob(job);
  });

  it('JobPosted stores ranked matches, with reasons; a talent not screened is not matched', async () => {
    expect(await storedMatches(job.jobId)).toEqual([strong.id, weaker.id]);
    const res = await jobMatches(client.accessToken, job.jobId);
    expect(res.errors).toBeUndefined();
    const [{ matches }] = res.data!._entities;
    expect(matches.map((m) => [m.rank, m.talent.id, m.job.id])).toEqual([
      [1, strong.id, job.jobId],
      [2, weaker.id, job.jobId],
    ]);
    expect(matches[0].reasons).toEqual(['skills 3/3', 'rate within budget', '6 years (min 5)', 'no ratings yet']);
    expect(matches[1].reasons).toEqual(['skills 2/3', 'rate within budget', '6 years (min 5)', 'no ratings yet']);
    expect(matches[0].score).toBeGreaterThan(matches[1].score);
    for (const m of matches) {
      expect(m.score).toBeGreaterThan(0);
      expect(m.score).toBeLessThanOrEqual(1);
    }

    const proposed = await waitFor(
      () => proposals.find((p) => p.type === 'MatchesProposed' && p.key === job.jobId && p.payload.trigger === 'JOB_POSTED'),
      20_000,
      { message: 'MatchesProposed (JOB_POSTED) consumed from matching.events.v1' },
    );
    expect(proposed.payload.matches).toEqual([
      { talentId: strong.id, rank: 1, score: matches[0].score },
      { talentId: weaker.id, rank: 2, score: matches[1].score },
    ]);
  });

  it('a talent screened later joins the open jobs they match (TALENT_CHANGED)', async () => {
    await screenApproved(inspector, unscreened);
    await waitFor(async () => (await storedMatches(job.jobId)).includes(unscreened.id), 30_000, { message: 'the newly screened talent is matched' });
    const ids = await storedMatches(job.jobId);
    expect(ids).toHaveLength(3);
    expect(ids.indexOf(unscreened.id)).toBeLessThan(ids.indexOf(weaker.id));
    const proposed = await waitFor(
      () =>
        proposals.find((p) => p.type === 'MatchesProposed' && p.key === job.jobId && p.payload.trigger === 'TALENT_CHANGED' && p.payload.matches.length === 3),
      20_000,
      { message: 'MatchesProposed (TALENT_CHANGED) consumed' },
    );
    expect(proposed.payload.matches.map((m: { talentId: string }) => m.talentId)).toEqual(ids);
  });

  it('eligibility that arrived before the profile counts as soon as the profile exists', async () => {
    const own = skillSet('early', 2);
    const early = await registerPersona(stack, ['TALENT']);
    await makeMember(stack, early, admin);
    await screenApproved(inspector, early);
    await waitFor(
      async () => (await matchingSql(`SELECT member, screening FROM talent_eligibility WHERE talent_id = $1`, [early.id]))[0]?.screening === 'APPROVED',
      30_000,
      { message: 'matching records the eligibility of a talent without a profile' },
    );
    const waiting = jobPayload(client.id, { skills: own });
    await postJob(waiting);
    expect(await storedMatches(waiting.jobId)).toEqual([]);
    // The upsert re-ranks the open jobs the talent now matches, in its own transaction.
    await early.api.data(UPSERT, { input: profileInput({ skills: own }) });
    expect(await storedMatches(waiting.jobId)).toEqual([early.id]);
  });

  it("Job.matches: the job's client and admins see them by rank; an empty list for anyone else, anonymous callers included", async () => {
    const mine = (await jobMatches(client.accessToken, job.jobId)).data!._entities[0].matches;
    const asAdmin = (await jobMatches(admin.accessToken, job.jobId)).data!._entities[0].matches;
    expect(asAdmin).toEqual(mine);
    expect(mine.map((m) => m.rank)).toEqual([1, 2, 3]);
    const firstOnly = (await jobMatches(client.accessToken, job.jobId, 1)).data!._entities[0].matches;
    expect(firstOnly).toEqual([mine[0]]);

    // No error (it would wipe a whole list of jobs), and nothing to see.
    for (const token of [stranger.accessToken, strong.accessToken, undefined]) {
      const res = await jobMatches(token, job.jobId);
      expect(res.errors).toBeUndefined();
      expect(res.data!._entities[0].matches).toEqual([]);
    }
    for (const first of [0, 101]) expect(errorCode(await jobMatches(client.accessToken, job.jobId, first))).toBe('BAD_USER_INPUT');
  });

  it('a talent who turns not open to work leaves the open jobs', async () => {
    await weaker.api.data(UPSERT, { input: profileInput({ skills: skills.slice(0, 2), openToWork: false }) });
    expect(await storedMatches(job.jobId)).not.toContain(weaker.id);
    await weaker.api.data(UPSERT, { input: profileInput({ skills: skills.slice(0, 2), hourlyRate: { amount: '95', currency: 'USD' } }) });
    expect(await storedMatches(job.jobId)).toContain(weaker.id);
  });

  it('leaves out other currencies, other countries when the job restricts them, and rates far above budget', async () => {
    const own = skillSet('filters', 2);
    const [usd, eur, german, pricey] = await Promise.all([
      talent({ skills: own }),
      talent({ skills: own, profile: { hourlyRate: { amount: '60', currency: 'EUR' } } }),
      talent({ skills: own, profile: { country: 'DE' } }),
      talent({ skills: own, profile: { hourlyRate: { amount: '151', currency: 'USD' } } }),
    ]);
    const restricted = jobPayload(client.id, { skills: own, countries: ['US', 'CA'] });
    await postJob(restricted);
    expect(await storedMatches(restricted.jobId)).toEqual([usd.id]);
    const [{ matches }] = (await jobMatches(client.accessToken, restricted.jobId)).data!._entities;
    expect(matches[0].reasons.at(-1)).toBe('in US');
    expect([eur.id, german.id, pricey.id].some((id) => matches.some((m) => m.talent.id === id))).toBe(false);
  });

  it('a closed job is not re-matched; open jobs still are', async () => {
    const own = skillSet('closing', 2);
    const first = await talent({ skills: own });
    const closing = jobPayload(client.id, { skills: own });
    const open = jobPayload(client.id, { skills: own });
    await postJob(closing);
    await postJob(open);
    await publish(
      'jobs.events.v1',
      closing.jobId,
      createEvent(JobClosed, { jobId: closing.jobId, clientId: client.id, status: 'FILLED', closedAt: new Date().toISOString() }),
    );
    await waitFor(async () => (await matchingSql(`SELECT status FROM jobs WHERE id = $1`, [closing.jobId]))[0]?.status === 'FILLED', 20_000, {
      message: 'matching sees the job closed',
    });

    const later = await talent({ skills: own });
    await waitFor(async () => (await storedMatches(open.jobId)).includes(later.id), 30_000, { message: 'the open job gets the new talent' });
    expect(await storedMatches(closing.jobId)).toEqual([first.id]);
    // Its matches stay readable.
    expect((await jobMatches(client.accessToken, closing.jobId)).data!._entities[0].matches.map((m) => m.talent.id)).toEqual([first.id]);
  });
});

describe('matchingStats', () => {
  it('counts jobs, the share matched within 24 h, the median time to a first match and candidates per job', async () => {
    const client = await registerPersona(stack, ['CLIENT']);
    // Its own jobs, whatever ran before: one matched, one nobody matches.
    const own = skillSet('stats', 2);
    await talent({ skills: own });
    await postJob(jobPayload(client.id, { skills: own }));
    await postJob(jobPayload(client.id, { skills: skillSet('nobody', 1) }));
    const jobs = await matchingSql<{ match_count: number; first_match_at: Date | null; posted_at: Date }>(
      `SELECT match_count, first_match_at, posted_at FROM jobs`,
    );
    const secondsToFirstMatch = jobs
      .filter((j) => j.first_match_at)
      .map((j) => Math.max(0, (j.first_match_at!.getTime() - j.posted_at.getTime()) / 1000))
      .sort((a, b) => a - b);
    const middle = (secondsToFirstMatch.length - 1) / 2;
    const median = (secondsToFirstMatch[Math.floor(middle)] + secondsToFirstMatch[Math.ceil(middle)]) / 2;
    const matched = jobs.filter((j) => j.first_match_at && j.first_match_at.getTime() - j.posted_at.getTime() <= 86_400_000);
    const { matchingStats } = await stack.api.data(STATS);
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    expect(matchingStats.jobsPosted).toBe(jobs.length);
    expect(matchingStats.matchRate24h).toBeCloseTo(matched.length / jobs.length, 10);
    expect(matchingStats.matchRate24h).toBeGreaterThan(0);
    expect(matchingStats.matchRate24h).toBeLessThan(1);
    expect(matchingStats.averageCandidatesPerJob).toBeCloseTo(jobs.reduce((sum, j) => sum + j.match_count, 0) / jobs.length, 10);
    // How fast matching is shows in the benchmarks (tools/bench/matching.mjs); here, that the median is the jobs' median.
    expect(matchingStats.medianSecondsToFirstMatch).toBeCloseTo(median, 2);
  });
});
