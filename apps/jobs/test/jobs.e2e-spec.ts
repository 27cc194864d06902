/**
 * Posting, finding and closing jobs, through the gateway on the real stack (identity, jobs
 * and the gateway as processes, PostgreSQL, Redis, a Kafka-protocol broker).
 */
import { randomUUID } from 'node:crypto';
import { errorCode, registerPersona, waitFor, type Persona, type Stack } from '@talent/testing';
import { apply, CLOSE_JOB, JOB_FIELDS, jobInput, jobsSql, member, outboxOf, POST_JOB, postJob, startJobsStack } from './helpers';

const JOB = `query ($id: ID!) { job(id: $id) { ${JOB_FIELDS} } }`;
const JOBS = `query ($filter: JobFilter, $first: Int, $after: String) {
  jobs(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id title status skills } }
  }
}`;

let stack: Stack;
let admin: Persona;
let client: Persona;
let otherClient: Persona;
let talent: Persona;

beforeAll(async () => {
  ({ stack, admin } = await startJobsStack());
  [client, otherClient, talent] = await Promise.all([
    member(stack, admin, ['CLIENT'], 'Client Carla'),
    member(stack, admin, ['CLIENT'], 'Client Olaf'),
    member(stack, admin, ['TALENT'], 'Talent Tess'),
  ]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const jobCount = async (clientId: string) =>
  Number((await jobsSql<{ n: string }>(stack, 'SELECT count(*) AS n FROM jobs WHERE client_id = $1', [clientId]))[0].n);

describe('postJob', () => {
  it('posts an open job with normalised skills and countries, exact money, and the client composed from identity', async () => {
    const res = await client.api.request(POST_JOB, {
      input: jobInput({
        title: '  Rust compiler engineer ',
        skills: [' Rust ', 'rust', 'LLVM', 'Compilers'],
        countries: ['us', 'DE'],
        budget: { min: { amount: '85.5', currency: 'usd' }, max: { amount: '120', currency: 'USD' }, unit: 'HOURLY' },
      }),
    });
    expect(res.errors).toBeUndefined();
    const job = res.data!.postJob;
    expect(job).toMatchObject({
      title: 'Rust compiler engineer',
      skills: ['rust', 'llvm', 'compilers'],
      countries: ['US', 'DE'],
      budget: { min: { amount: '85.50', currency: 'USD' }, max: { amount: '120.00', currency: 'USD' }, unit: 'HOURLY' },
      hoursPerWeek: 40,
      durationWeeks: 12,
      minYearsExperience: 3,
      status: 'OPEN',
      client: { id: client.id },
      organization: null,
    });
    expect(Date.parse(job.createdAt)).not.toBeNaN();

    // Public: anyone can read it, and the client's identity fields come from identity.
    const read = await stack.api.data(`query ($id: ID!) { job(id: $id) { id status client { id displayName } } }`, { id: job.id });
    expect(read.job).toEqual({ id: job.id, status: 'OPEN', client: { id: client.id, displayName: 'Client Carla' } });

    // Stored as NUMERIC, never floats.
    const [row] = await jobsSql(stack, `SELECT budget_min::text, budget_max::text, pg_typeof(budget_min)::text AS type FROM jobs WHERE id = $1`, [job.id]);
    expect(row).toEqual({ budget_min: '85.50', budget_max: '120.00', type: 'numeric' });

    // JobPosted and its partner projection are in the outbox, committed with the job, and published.
    const events = await waitFor(async () => {
      const rows = await outboxOf(stack, [job.id]);
      return rows.length === 2 && rows.every((r) => r.published) && rows;
    }, 15_000);
    const partner = events.find((e) => e.type === 'job.posted')!;
    expect(partner.payload).toEqual({
      jobId: job.id,
      title: expect.any(String),
      skills: ['rust', 'llvm', 'compilers'],
      countries: ['US', 'DE'],
      budget: { min: '85.50', max: '120.00', currency: 'USD', unit: 'HOURLY' },
      hoursPerWeek: expect.any(Number),
      durationWeeks: expect.any(Number),
      postedAt: expect.any(String),
    });
    expect(JSON.stringify(partner.payload)).not.toContain(client.id);
    expect(events.find((e) => e.type === 'JobPosted')).toMatchObject({
      type: 'JobPosted',
      payload: {
        jobId: job.id,
        clientId: client.id,
        organizationId: null,
        skills: ['rust', 'llvm', 'compilers'],
        countries: ['US', 'DE'],
        budget: { min: '85.50', max: '120.00', currency: 'USD', unit: 'HOURLY' },
      },
    });
  });

  it("stores the client's rate tolerance above the budget (0..50 percent, 0 by default) and shows it on the job", async () => {
    const TOLERANCE = `query ($id: ID!) { job(id: $id) { rateTolerancePercent } }`;
    const plain = await postJob(client.api);
    const tolerant = await postJob(client.api, { rateTolerancePercent: 50 });
    expect((await stack.api.data(TOLERANCE, { id: plain.id })).job).toEqual({ rateTolerancePercent: 0 });
    expect((await stack.api.data(TOLERANCE, { id: tolerant.id })).job).toEqual({ rateTolerancePercent: 50 });
    expect(await jobsSql(stack, 'SELECT rate_tolerance_percent FROM jobs WHERE id = $1', [tolerant.id])).toEqual([{ rate_tolerance_percent: 50 }]);
  });

  it('links an organization by id; identity resolves it', async () => {
    const { createOrganization: org } = await client.api.data(`mutation { createOrganization(name: "Acme Compilers") { id } }`);
    const job = await postJob(client.api, { organizationId: org.id });
    const read = await stack.api.data(`query ($id: ID!) { job(id: $id) { organization { id name } } }`, { id: job.id });
    expect(read.job.organization).toEqual({ id: org.id, name: 'Acme Compilers' });
  });

  it.each<[string, Parameters<typeof jobInput>[0], string]>([
    ['min above max', { budget: { min: { amount: '100', currency: 'USD' }, max: { amount: '99.99', currency: 'USD' }, unit: 'HOURLY' } }, 'budget.min.amount'],
    ['two currencies', { budget: { min: { amount: '10', currency: 'USD' }, max: { amount: '20', currency: 'EUR' }, unit: 'HOURLY' } }, 'budget.max.currency'],
    [
      'an unknown currency',
      { budget: { min: { amount: '10', currency: 'XYZ' }, max: { amount: '20', currency: 'XYZ' }, unit: 'FIXED' } },
      'budget.min.currency',
    ],
    [
      'a float-style amount',
      { budget: { min: { amount: '1e2', currency: 'USD' }, max: { amount: '200', currency: 'USD' }, unit: 'FIXED' } },
      'budget.min.amount',
    ],
    ['an unknown country', { countries: ['US', 'ZZ'] }, 'countries'],
    ['no skills', { skills: [] }, 'skills'],
    ['only blank skills', { skills: ['  '] }, 'skills'],
    ['0 hours per week', { hoursPerWeek: 0 }, 'hoursPerWeek'],
    ['105 weeks', { durationWeeks: 105 }, 'durationWeeks'],
    ['a 2-character title', { title: 'ab' }, 'title'],
    ['an organization id that is not a UUID', { organizationId: 'acme' }, 'organizationId'],
    ['a 51% rate tolerance', { rateTolerancePercent: 51 }, 'rateTolerancePercent'],
    ['a negative rate tolerance', { rateTolerancePercent: -1 }, 'rateTolerancePercent'],
  ])('refuses %s with BAD_USER_INPUT naming the field, and stores nothing', async (_, overrides, field) => {
    const before = await jobCount(client.id);
    const res = await client.api.request(POST_JOB, { input: jobInput(overrides) });
    expect(errorCode(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0].extensions).toMatchObject({ field });
    expect(res.data ?? null).toBeNull();
    expect(await jobCount(client.id)).toBe(before);
  });

  it('refuses a talent (FORBIDDEN), an anonymous caller (UNAUTHENTICATED) and a client who is not a member (PRECONDITION_FAILED)', async () => {
    expect(errorCode(await talent.api.request(POST_JOB, { input: jobInput() }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.api.request(POST_JOB, { input: jobInput() }))).toBe('UNAUTHENTICATED');

    const newcomer = await registerPersona(stack, ['CLIENT'], 'Not yet KYC');
    const res = await newcomer.api.request(POST_JOB, { input: jobInput() });
    expect(errorCode(res)).toBe('PRECONDITION_FAILED');
    expect(res.errors![0].message).toMatch(/members/i);
    expect(await jobCount(newcomer.id)).toBe(0);
  });
});

describe('job and jobs', () => {
  let ids: string[];
  let posted: Array<{ id: string; createdAt: string }>;
  /** The given jobs in the feed's order: createdAt desc, then id desc (two jobs may share a millisecond). */
  const newestFirst = (subset: string[]) =>
    posted
      .filter((j) => subset.includes(j.id))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || (a.id < b.id ? 1 : -1))
      .map((j) => j.id);
  const word = `zq${randomUUID().slice(0, 6)}`;

  beforeAll(async () => {
    // Five jobs of one client, oldest first; two of them mention a rare word, three require kafka.
    posted = [];
    const specs: Array<Parameters<typeof jobInput>[0]> = [
      { title: 'Kafka streams engineer', skills: ['Kafka', 'Java'] },
      { title: 'Compiler wizard', description: `Write optimizing compilers for the ${word} language.`, skills: ['Rust', 'Kafka'] },
      { title: 'GraphQL gateway specialist', skills: ['GraphQL'] },
      { title: 'Data pipeline engineer', skills: ['kafka', 'SQL', 'Python'] },
      { title: `Platform lead (${word})`, skills: ['Go'] },
    ];
    for (const spec of specs) posted.push((await postJob(otherClient.api, spec)) as { id: string; createdAt: string });
    ids = posted.map((j) => j.id);
  });

  it('job(id) is public and answers null for an unknown or malformed id', async () => {
    expect((await stack.api.data(`query ($id: ID!) { job(id: $id) { id } }`, { id: ids[0] })).job).toEqual({ id: ids[0] });
    expect((await stack.api.data(JOB, { id: randomUUID() })).job).toBeNull();
    expect((await stack.api.data(JOB, { id: 'not-a-uuid' })).job).toBeNull();
  });

  it("pages through a client's jobs newest first with cursors, hasNextPage and totalCount", async () => {
    const filter = { clientId: otherClient.id };
    const seen: string[] = [];
    let after: string | null = null;
    const pages: Array<{ totalCount: number; hasNextPage: boolean; size: number }> = [];
    do {
      const { jobs }: any = await stack.api.data(JOBS, { filter, first: 2, after });
      seen.push(...jobs.edges.map((e: any) => e.node.id));
      expect(jobs.pageInfo.endCursor).toBe(jobs.edges.at(-1)?.cursor ?? null);
      pages.push({ totalCount: jobs.totalCount, hasNextPage: jobs.pageInfo.hasNextPage, size: jobs.edges.length });
      after = jobs.pageInfo.hasNextPage ? jobs.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(newestFirst(ids));
    expect(pages).toEqual([
      { totalCount: 5, hasNextPage: true, size: 2 },
      { totalCount: 5, hasNextPage: true, size: 2 },
      { totalCount: 5, hasNextPage: false, size: 1 },
    ]);
  });

  it('filters by skills (all of them, normalised), by full-text search and by status, and combines filters', async () => {
    const ofClient = async (filter: Record<string, unknown>) => {
      const { jobs } = await stack.api.data(JOBS, { filter: { clientId: otherClient.id, ...filter }, first: 50 });
      return { ids: jobs.edges.map((e: any) => e.node.id), totalCount: jobs.totalCount };
    };
    expect(await ofClient({ skills: [' KAFKA '] })).toEqual({ ids: newestFirst([ids[0], ids[1], ids[3]]), totalCount: 3 });
    expect(await ofClient({ skills: ['kafka', 'rust'] })).toEqual({ ids: [ids[1]], totalCount: 1 });
    expect(await ofClient({ skills: ['kafka', 'cobol'] })).toEqual({ ids: [], totalCount: 0 });

    // Full-text search over title and description, with stemming ("compiler" finds "compilers").
    expect(await ofClient({ text: word })).toEqual({ ids: newestFirst([ids[1], ids[4]]), totalCount: 2 });
    expect(await ofClient({ text: 'compiler' })).toEqual({ ids: [ids[1]], totalCount: 1 });
    expect(await ofClient({ text: `${word} -compilers` })).toEqual({ ids: [ids[4]], totalCount: 1 });
    expect(await ofClient({ text: '   ' })).toEqual({ ids: newestFirst(ids), totalCount: 5 });

    expect((await ofClient({ status: 'OPEN' })).totalCount).toBe(5);
    expect((await ofClient({ status: 'CLOSED' })).totalCount).toBe(0);
    // Across all clients, the text filter alone finds only this client's jobs.
    const { jobs } = await stack.api.data(JOBS, { filter: { text: word } });
    expect(jobs.totalCount).toBe(2);
    // A clientId that is no user's id matches nothing.
    expect((await stack.api.data(JOBS, { filter: { clientId: randomUUID() } })).jobs.totalCount).toBe(0);
  });

  it('refuses a malformed cursor or page size with BAD_USER_INPUT', async () => {
    expect(errorCode(await stack.api.request(JOBS, { after: 'garbage' }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.api.request(JOBS, { first: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stack.api.request(JOBS, { first: 101 }))).toBe('BAD_USER_INPUT');
  });
});

describe('closeJob', () => {
  it("is refused to anyone but the job's client (FORBIDDEN), changing nothing", async () => {
    const job = await postJob(client.api);
    for (const stranger of [otherClient, talent, admin]) {
      expect(errorCode(await stranger.api.request(CLOSE_JOB, { id: job.id }))).toBe('FORBIDDEN');
    }
    expect(errorCode(await stack.api.request(CLOSE_JOB, { id: job.id }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await client.api.request(CLOSE_JOB, { id: randomUUID() }))).toBe('NOT_FOUND');
    expect((await stack.api.data(JOB, { id: job.id })).job.status).toBe('OPEN');
  });

  it('closes an open job, declines its open applications (JOB_CLOSED), and refuses a second close (CONFLICT)', async () => {
    const job = await postJob(client.api, { title: 'Job to close' });
    const application = await apply(talent.api, job.id);

    const res = await client.api.request(CLOSE_JOB, { id: job.id });
    expect(res.errors).toBeUndefined();
    expect(res.data!.closeJob).toEqual({ id: job.id, status: 'CLOSED' });
    const mine = await talent.api.data(`{ myApplications { id status } }`);
    expect(mine.myApplications).toContainEqual({ id: application.id, status: 'DECLINED' });

    expect(errorCode(await client.api.request(CLOSE_JOB, { id: job.id }))).toBe('CONFLICT');
    const { jobs } = await stack.api.data(JOBS, { filter: { clientId: client.id, status: 'CLOSED' } });
    expect(jobs.edges.map((e: any) => e.node.id)).toContain(job.id);

    const events = await waitFor(async () => {
      const rows = await outboxOf(stack, [job.id, application.id]);
      return rows.length === 6 && rows.every((r) => r.published) && rows;
    }, 15_000);
    expect(events.map((e) => e.type)).toEqual(['JobPosted', 'job.posted', 'ApplicationSubmitted', 'ApplicationResolved', 'JobClosed', 'job.closed']);
    expect(events[3].payload).toMatchObject({ applicationId: application.id, status: 'DECLINED', reason: 'JOB_CLOSED', stake: null });
    expect(events[4].payload).toMatchObject({ jobId: job.id, clientId: client.id, status: 'CLOSED' });
    expect(events[5].payload).toEqual({ jobId: job.id, status: 'CLOSED', closedAt: expect.any(String) });
  });
});
