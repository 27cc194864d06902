/**
 * Applications, interviews, hires, contracts, ratings and reputation, through the gateway on
 * the real stack (identity, jobs and the gateway as processes).
 */
import { randomUUID } from 'node:crypto';
import { errorCode, registerPersona, waitFor, type Persona, type Stack } from '@talent/testing';
import { APPLY, apply, jobsSql, member, outboxOf, postJob, startJobsStack } from './helpers';

const APPLICATIONS_OF_JOB = `query ($id: ID!) { job(id: $id) { id applications { id status talent { id } proposedRate { amount currency } } } }`;
const WITHDRAW = `mutation ($id: ID!) { withdrawApplication(applicationId: $id) { id status } }`;
const INTERVIEW = `mutation ($id: ID!, $outcome: InterviewOutcome!) { recordInterview(applicationId: $id, outcome: $outcome) { id status } }`;
const CONTRACT_FIELDS = `id status unit startedAt endedAt
  rate { amount currency } estimatedValue { amount currency }
  job { id status } talent { id } client { id }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { ${CONTRACT_FIELDS} } }`;
const COMPLETE = `mutation ($id: ID!) { completeContract(contractId: $id) { id status endedAt } }`;
const CONTRACT = `query ($id: ID!) { contract(id: $id) { id status ratings { stars comment rater { id } ratee { id } } } }`;
const RATE = `mutation ($id: ID!, $stars: Int!, $comment: String) {
  rateContract(contractId: $id, stars: $stars, comment: $comment) { id stars comment createdAt rater { id } ratee { id } contract { id } }
}`;
const REPUTATION = `query ($id: ID!) { user(id: $id) { id displayName reputation { averageRating ratingsCount fiveStarCount completedContracts } } }`;
const MY_APPLICATIONS = `{ myApplications { id status job { id } } }`;

let stack: Stack;
let admin: Persona;
let client: Persona;
let talent: Persona;
let talent2: Persona;
let talent3: Persona;
let stranger: Persona;

beforeAll(async () => {
  ({ stack, admin } = await startJobsStack());
  [client, talent, talent2, talent3, stranger] = await Promise.all([
    member(stack, admin, ['CLIENT'], 'Client Cleo'),
    member(stack, admin, ['TALENT'], 'Talent Theo'),
    member(stack, admin, ['TALENT'], 'Talent Tara'),
    member(stack, admin, ['TALENT'], 'Talent Timo'),
    member(stack, admin, ['TALENT', 'CLIENT'], 'Stranger Sam'),
  ]);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

const applicationCount = async (jobId: string) =>
  Number((await jobsSql<{ n: string }>(stack, 'SELECT count(*) AS n FROM applications WHERE job_id = $1', [jobId]))[0].n);

describe('applyToJob', () => {
  let job: { id: string };

  beforeAll(async () => {
    job = await postJob(client.api, { title: 'Applications job' });
  });

  it('submits an application in the job currency, visible in myApplications', async () => {
    const res = await talent.api.request(APPLY, { jobId: job.id, letter: '  Hire me.  ', rate: { amount: '72.5', currency: 'usd' } });
    expect(res.errors).toBeUndefined();
    expect(res.data!.applyToJob).toMatchObject({
      status: 'SUBMITTED',
      coverLetter: 'Hire me.',
      proposedRate: { amount: '72.50', currency: 'USD' },
      stake: null,
      job: { id: job.id, title: 'Applications job' },
      talent: { id: talent.id },
    });
    const mine = await talent.api.data(MY_APPLICATIONS);
    expect(mine.myApplications[0]).toEqual({ id: res.data!.applyToJob.id, status: 'SUBMITTED', job: { id: job.id } });
  });

  it('refuses a second application by the same talent (CONFLICT)', async () => {
    const res = await talent.api.request(APPLY, { jobId: job.id, letter: 'Again', rate: { amount: '70', currency: 'USD' } });
    expect(errorCode(res)).toBe('CONFLICT');
    expect(await applicationCount(job.id)).toBe(1);
  });

  it('keeps a staked application in PENDING_STAKE until rewards answers; a zero stake is refused', async () => {
    const stakedJob = await postJob(client.api, { title: 'A job worth staking for' });
    expect(errorCode(await talent2.api.request(APPLY, { jobId: stakedJob.id, letter: 'x', rate: { amount: '70', currency: 'USD' }, stake: '0' }))).toBe(
      'BAD_USER_INPUT',
    );
    const { applyToJob } = await talent2.api.data(APPLY, {
      jobId: stakedJob.id,
      letter: 'Staking for priority',
      rate: { amount: '70', currency: 'USD' },
      stake: '100.5',
    });
    expect(applyToJob).toMatchObject({ status: 'PENDING_STAKE', stake: '100.5' });
    // No rewards service runs in this stack: the stake is never confirmed, so the client cannot hire yet.
    const hire = await client.api.request(`mutation ($id: ID!) { hire(applicationId: $id) { id } }`, { id: applyToJob.id });
    expect(errorCode(hire)).toBe('CONFLICT');
    expect(await applicationCount(stakedJob.id)).toBe(1);
  });

  it("refuses non-members (PRECONDITION_FAILED), non-talent (FORBIDDEN) and the job's own client (FORBIDDEN)", async () => {
    const newcomer = await registerPersona(stack, ['TALENT'], 'No KYC yet');
    expect(errorCode(await newcomer.api.request(APPLY, { jobId: job.id, letter: 'Hi', rate: { amount: '70', currency: 'USD' } }))).toBe('PRECONDITION_FAILED');
    expect(errorCode(await client.api.request(APPLY, { jobId: job.id, letter: 'Hi', rate: { amount: '70', currency: 'USD' } }))).toBe('FORBIDDEN');
    const ownJob = await postJob(stranger.api, { title: 'Sam posts a job' });
    expect(errorCode(await stranger.api.request(APPLY, { jobId: ownJob.id, letter: 'Me!', rate: { amount: '70', currency: 'USD' } }))).toBe('FORBIDDEN');
    expect(await applicationCount(job.id)).toBe(1);
    expect(await applicationCount(ownJob.id)).toBe(0);
  });

  it('refuses a rate in another currency or not positive, an empty letter (BAD_USER_INPUT), and an unknown job (NOT_FOUND)', async () => {
    const attempt = (vars: Record<string, unknown>) =>
      talent2.api.request(APPLY, { jobId: job.id, letter: 'Hi', rate: { amount: '70', currency: 'USD' }, ...vars });
    const eur = await attempt({ rate: { amount: '70', currency: 'EUR' } });
    expect(errorCode(eur)).toBe('BAD_USER_INPUT');
    expect(eur.errors![0].extensions).toMatchObject({ field: 'proposedRate.currency' });
    expect((await attempt({ rate: { amount: '-1', currency: 'USD' } })).errors![0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'proposedRate.amount',
    });
    expect((await attempt({ letter: '   ' })).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'coverLetter' });
    expect(errorCode(await attempt({ jobId: randomUUID() }))).toBe('NOT_FOUND');
    expect(await applicationCount(job.id)).toBe(1);
  });

  it('refuses applications to a closed job (PRECONDITION_FAILED)', async () => {
    const closed = await postJob(client.api, { title: 'Closed before anyone applied' });
    await client.api.data(`mutation ($id: ID!) { closeJob(id: $id) { id } }`, { id: closed.id });
    const res = await talent.api.request(APPLY, { jobId: closed.id, letter: 'Late', rate: { amount: '70', currency: 'USD' } });
    expect(errorCode(res)).toBe('PRECONDITION_FAILED');
    expect(await applicationCount(closed.id)).toBe(0);
  });

  it("shows Job.applications to the job's client only (an empty list for anyone else, the job still shown)", async () => {
    const seen = await client.api.data(APPLICATIONS_OF_JOB, { id: job.id });
    expect(seen.job.applications).toEqual([
      expect.objectContaining({ status: 'SUBMITTED', talent: { id: talent.id }, proposedRate: { amount: '72.50', currency: 'USD' } }),
    ]);
    for (const api of [stranger.api, talent.api, admin.api, stack.api]) {
      const res = await api.request<{ job: { id: string; applications: unknown[] } }>(APPLICATIONS_OF_JOB, { id: job.id });
      expect(res.errors).toBeUndefined();
      expect(res.data!.job).toEqual({ id: job.id, applications: [] });
    }
  });
});

describe("rates within the job's terms", () => {
  const HIRE_RATE = `mutation ($id: ID!) { hire(applicationId: $id) { id unit rate { amount currency } estimatedValue { amount currency } } }`;
  const attempt = (who: Persona, jobId: string, amount: string) =>
    who.api.request(APPLY, { jobId, letter: 'Worth every cent.', rate: { amount, currency: 'USD' } });
  // Their own client and talents: these hires must not change the other tests' first hires and reputations.
  let hirer: Persona;
  let ravi: Persona;
  let rosa: Persona;

  beforeAll(async () => {
    [hirer, ravi, rosa] = await Promise.all([
      member(stack, admin, ['CLIENT'], 'Client Rhea'),
      member(stack, admin, ['TALENT'], 'Talent Ravi'),
      member(stack, admin, ['TALENT'], 'Talent Rosa'),
    ]);
  }, 120_000);

  it('refuses a rate above the budget or below it (BAD_USER_INPUT naming the budget) and creates nothing', async () => {
    const job = await postJob(hirer.api, { title: 'A 60-90 USD/h job' });
    const mineBefore = (await rosa.api.data(MY_APPLICATIONS)).myApplications;
    for (const amount of ['5000000', '90.01', '59.99']) {
      const res = await attempt(rosa, job.id, amount);
      expect(errorCode(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0].extensions).toMatchObject({ field: 'proposedRate.amount' });
      expect(res.errors![0].message).toContain('60.00 to 90.00 USD per hour');
    }
    expect((await rosa.api.data(MY_APPLICATIONS)).myApplications).toEqual(mineBefore);
    expect(await applicationCount(job.id)).toBe(0);
    expect(await jobsSql(stack, `SELECT 1 FROM outbox WHERE type = 'ApplicationSubmitted' AND envelope->'payload'->>'jobId' = $1`, [job.id])).toEqual([]);

    // The edges of the budget are in.
    expect((await attempt(rosa, job.id, '90')).errors).toBeUndefined();
    expect((await attempt(ravi, job.id, '60')).errors).toBeUndefined();
  });

  it("accepts a rate above the max within the client's tolerance; the hire contracts at that rate, and ContractStarted carries appliedAt", async () => {
    const job = await postJob(hirer.api, { title: 'A tolerant job', rateTolerancePercent: 10, hoursPerWeek: 10, durationWeeks: 2 });
    const over = await attempt(ravi, job.id, '99.01');
    expect(errorCode(over)).toBe('BAD_USER_INPUT');
    expect(over.errors![0].message).toContain("or up to 99.00 USD with the client's 10% tolerance");
    expect(await applicationCount(job.id)).toBe(0);

    const res = await attempt(ravi, job.id, '99');
    expect(res.errors).toBeUndefined();
    const application = res.data!.applyToJob;
    expect(application).toMatchObject({ status: 'SUBMITTED', proposedRate: { amount: '99.00', currency: 'USD' } });

    const { hire } = await hirer.api.data(HIRE_RATE, { id: application.id });
    expect(hire).toMatchObject({ unit: 'HOURLY', rate: { amount: '99.00', currency: 'USD' }, estimatedValue: { amount: '1980.00', currency: 'USD' } });
    const [{ created_at: appliedAt }] = await jobsSql<{ created_at: Date }>(stack, 'SELECT created_at FROM applications WHERE id = $1', [application.id]);
    const [started] = (await outboxOf(stack, [hire.id])).filter((e) => e.type === 'ContractStarted');
    expect(started.payload).toMatchObject({
      contractId: hire.id,
      applicationId: application.id,
      rate: { amount: '99.00', currency: 'USD' },
      appliedAt: appliedAt.toISOString(),
    });
    expect(started.payload.appliedAt).toBe(application.createdAt);
    expect(Date.parse(started.payload.appliedAt)).toBeLessThanOrEqual(Date.parse(started.payload.startedAt));
  });

  it('values a fixed-price contract at the accepted amount', async () => {
    const job = await postJob(hirer.api, {
      title: 'A fixed-price job',
      budget: { min: { amount: '1000', currency: 'USD' }, max: { amount: '2000', currency: 'USD' }, unit: 'FIXED' },
      rateTolerancePercent: 5,
    });
    expect(errorCode(await attempt(rosa, job.id, '2100.01'))).toBe('BAD_USER_INPUT');
    const application = (await attempt(rosa, job.id, '2100')).data!.applyToJob;
    const { hire } = await hirer.api.data(HIRE_RATE, { id: application.id });
    expect(hire).toMatchObject({ unit: 'FIXED', rate: { amount: '2100.00', currency: 'USD' }, estimatedValue: { amount: '2100.00', currency: 'USD' } });
  });

  it("refuses to hire an application whose rate is outside the job's terms (PRECONDITION_FAILED), even if one got in", async () => {
    const job = await postJob(hirer.api, { title: 'A job with a planted application' });
    const application = (await attempt(rosa, job.id, '80')).data!.applyToJob;
    // As if it got past applyToJob (older data, a bug): the hire checks again.
    await jobsSql(stack, `UPDATE applications SET proposed_rate = 5000000 WHERE id = $1`, [application.id]);
    const res = await hirer.api.request(HIRE_RATE, { id: application.id });
    expect(errorCode(res)).toBe('PRECONDITION_FAILED');
    expect(res.errors![0].message).toContain('5000000.00 USD');
    expect(await jobsSql(stack, 'SELECT id FROM contracts WHERE job_id = $1', [job.id])).toEqual([]);
    expect((await jobsSql(stack, 'SELECT status FROM jobs WHERE id = $1', [job.id]))[0].status).toBe('OPEN');
  });
});

describe('withdraw and interviews', () => {
  it('lets only the applicant withdraw an open application, once', async () => {
    const job = await postJob(client.api, { title: 'Withdraw job' });
    const application = await apply(talent.api, job.id);
    expect(errorCode(await talent2.api.request(WITHDRAW, { id: application.id }))).toBe('FORBIDDEN');
    expect(errorCode(await client.api.request(WITHDRAW, { id: application.id }))).toBe('FORBIDDEN');
    expect((await talent.api.data(WITHDRAW, { id: application.id })).withdrawApplication).toEqual({ id: application.id, status: 'WITHDRAWN' });
    const again = await talent.api.request(WITHDRAW, { id: application.id });
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.errors![0].message).toMatch(/WITHDRAWN/);
    expect(errorCode(await talent.api.request(WITHDRAW, { id: randomUUID() }))).toBe('NOT_FOUND');

    const events = await waitFor(async () => {
      const rows = await outboxOf(stack, [application.id]);
      return rows.length === 2 && rows;
    });
    expect(events[1]).toMatchObject({ type: 'ApplicationResolved', payload: { status: 'WITHDRAWN', reason: 'WITHDRAWN', stake: null } });
  });

  it("records interviews for the job's client: ATTENDED -> INTERVIEWING, NO_SHOW -> DECLINED", async () => {
    const job = await postJob(client.api, { title: 'Interview job' });
    const attended = await apply(talent.api, job.id);
    const noShow = await apply(talent2.api, job.id);

    expect(errorCode(await stranger.api.request(INTERVIEW, { id: attended.id, outcome: 'ATTENDED' }))).toBe('FORBIDDEN');
    expect(errorCode(await talent.api.request(INTERVIEW, { id: attended.id, outcome: 'ATTENDED' }))).toBe('FORBIDDEN');

    expect((await client.api.data(INTERVIEW, { id: attended.id, outcome: 'ATTENDED' })).recordInterview.status).toBe('INTERVIEWING');
    // A second interview keeps it INTERVIEWING.
    expect((await client.api.data(INTERVIEW, { id: attended.id, outcome: 'ATTENDED' })).recordInterview.status).toBe('INTERVIEWING');
    expect((await client.api.data(INTERVIEW, { id: noShow.id, outcome: 'NO_SHOW' })).recordInterview.status).toBe('DECLINED');
    // Declined is final.
    expect(errorCode(await client.api.request(INTERVIEW, { id: noShow.id, outcome: 'ATTENDED' }))).toBe('CONFLICT');

    const events = await waitFor(async () => {
      const rows = await outboxOf(stack, [noShow.id]);
      return rows.length === 3 && rows;
    });
    expect(events.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'InterviewRecorded', 'ApplicationResolved']);
    expect(events[1].payload).toMatchObject({ applicationId: noShow.id, jobId: job.id, talentId: talent2.id, outcome: 'NO_SHOW', stake: null });
    expect(events[2].payload).toMatchObject({ applicationId: noShow.id, status: 'DECLINED', reason: 'NO_SHOW' });
    const attendedEvents = await outboxOf(stack, [attended.id]);
    expect(attendedEvents.map((e) => [e.type, e.payload.outcome])).toEqual([
      ['ApplicationSubmitted', undefined],
      ['InterviewRecorded', 'ATTENDED'],
      ['InterviewRecorded', 'ATTENDED'],
    ]);
    expect(Number((await jobsSql(stack, 'SELECT count(*) AS n FROM interviews WHERE application_id = ANY($1::uuid[])', [[attended.id, noShow.id]]))[0].n)).toBe(
      3,
    );
  });
});

describe('hire, complete, rate, reputation', () => {
  let job: { id: string };
  let hired: { id: string };
  let interviewing: { id: string };
  let withdrawn: { id: string };
  let contract: any;

  beforeAll(async () => {
    job = await postJob(client.api, {
      title: 'Hourly contract job',
      budget: { min: { amount: '60', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
      hoursPerWeek: 37,
      durationWeeks: 13,
    });
    hired = await apply(talent.api, job.id, { amount: '85.55', currency: 'USD' });
    interviewing = await apply(talent2.api, job.id);
    withdrawn = await apply(talent3.api, job.id);
    await client.api.data(INTERVIEW, { id: interviewing.id, outcome: 'ATTENDED' });
    await talent3.api.data(WITHDRAW, { id: withdrawn.id });
  });

  it("refuses a hire by anyone but the job's client (FORBIDDEN)", async () => {
    expect(errorCode(await stranger.api.request(HIRE, { id: hired.id }))).toBe('FORBIDDEN');
    expect(errorCode(await talent.api.request(HIRE, { id: hired.id }))).toBe('FORBIDDEN');
    expect(errorCode(await client.api.request(HIRE, { id: withdrawn.id }))).toBe('CONFLICT');
    expect(await jobsSql(stack, 'SELECT id FROM contracts WHERE job_id = $1', [job.id])).toEqual([]);
  });

  it('hires: a contract at the proposed rate with the exact hourly estimate, the job FILLED, the other open applications DECLINED', async () => {
    const res = await client.api.request(HIRE, { id: hired.id });
    expect(res.errors).toBeUndefined();
    contract = res.data!.hire;
    expect(contract).toMatchObject({
      status: 'ACTIVE',
      unit: 'HOURLY',
      endedAt: null,
      rate: { amount: '85.55', currency: 'USD' },
      // 85.55 x 37 x 13 = 41149.55 exactly (in floats: 41149.549999999996).
      estimatedValue: { amount: '41149.55', currency: 'USD' },
      job: { id: job.id, status: 'FILLED' },
      talent: { id: talent.id },
      client: { id: client.id },
    });
    expect(Date.parse(contract.startedAt)).not.toBeNaN();

    const { job: after } = await client.api.data(APPLICATIONS_OF_JOB, { id: job.id });
    const statusOf = Object.fromEntries(after.applications.map((a: any) => [a.id, a.status]));
    expect(statusOf).toEqual({ [hired.id]: 'HIRED', [interviewing.id]: 'DECLINED', [withdrawn.id]: 'WITHDRAWN' });

    const [row] = await jobsSql(stack, 'SELECT estimated_value::text AS v, pg_typeof(estimated_value)::text AS t FROM contracts WHERE id = $1', [contract.id]);
    expect(row).toEqual({ v: '41149.55', t: 'numeric' });
  });

  it('refuses hiring twice (CONFLICT), for the same or another application', async () => {
    expect(errorCode(await client.api.request(HIRE, { id: hired.id }))).toBe('CONFLICT');
    expect(errorCode(await client.api.request(HIRE, { id: interviewing.id }))).toBe('CONFLICT');
    expect(await jobsSql(stack, 'SELECT id FROM contracts WHERE job_id = $1', [job.id])).toEqual([{ id: contract.id }]);
  });

  it('lets only one of two concurrent hires for one job succeed', async () => {
    const race = await postJob(client.api, {
      title: 'Race job',
      budget: { min: { amount: '500', currency: 'USD' }, max: { amount: '900', currency: 'USD' }, unit: 'FIXED' },
    });
    const [a, b] = [
      await apply(talent2.api, race.id, { amount: '700', currency: 'USD' }),
      await apply(talent3.api, race.id, { amount: '650', currency: 'USD' }),
    ];
    const results = await Promise.all([client.api.request(HIRE, { id: a.id }), client.api.request(HIRE, { id: b.id })]);
    const codes = results.map((r) => (r.errors ? errorCode(r) : 'OK')).sort();
    expect(codes).toEqual(['CONFLICT', 'OK']);
    const winner = results.find((r) => !r.errors)!.data!.hire;
    // Fixed price: the estimate is the rate itself.
    expect(winner.estimatedValue).toEqual(winner.rate);
    expect(winner.unit).toBe('FIXED');
    expect(await jobsSql(stack, 'SELECT count(*)::int AS n FROM contracts WHERE job_id = $1', [race.id])).toEqual([{ n: 1 }]);
    const statuses = (await jobsSql(stack, 'SELECT status FROM applications WHERE job_id = $1 ORDER BY status', [race.id])).map((r) => r.status);
    expect(statuses).toEqual(['DECLINED', 'HIRED']);
  });

  it('shows a contract to its talent, its client and admins only; null when unknown; myContracts for both sides', async () => {
    for (const viewer of [talent, client, admin]) {
      expect((await viewer.api.data(CONTRACT, { id: contract.id })).contract).toMatchObject({ id: contract.id, status: 'ACTIVE', ratings: [] });
    }
    expect(errorCode(await stranger.api.request(CONTRACT, { id: contract.id }))).toBe('FORBIDDEN');
    expect(errorCode(await stack.api.request(CONTRACT, { id: contract.id }))).toBe('UNAUTHENTICATED');
    expect((await client.api.data(CONTRACT, { id: randomUUID() })).contract).toBeNull();
    expect((await talent.api.data(`{ myContracts { id } }`)).myContracts).toEqual([{ id: contract.id }]);
    expect((await client.api.data(`{ myContracts { id } }`)).myContracts.map((c: any) => c.id)).toContain(contract.id);
    expect((await stranger.api.data(`{ myContracts { id } }`)).myContracts).toEqual([]);
  });

  it('refuses rating an ACTIVE contract (PRECONDITION_FAILED)', async () => {
    const res = await talent.api.request(RATE, { id: contract.id, stars: 5 });
    expect(errorCode(res)).toBe('PRECONDITION_FAILED');
  });

  it('completes a contract for its client only, once', async () => {
    expect(errorCode(await talent.api.request(COMPLETE, { id: contract.id }))).toBe('FORBIDDEN');
    const done = (await client.api.data(COMPLETE, { id: contract.id })).completeContract;
    expect(done).toMatchObject({ id: contract.id, status: 'COMPLETED' });
    expect(Date.parse(done.endedAt)).not.toBeNaN();
    expect(errorCode(await client.api.request(COMPLETE, { id: contract.id }))).toBe('CONFLICT');
  });

  it('rates: 1..5 stars, by either side once, never by a stranger', async () => {
    const six = await talent.api.request(RATE, { id: contract.id, stars: 6 });
    expect(errorCode(six)).toBe('BAD_USER_INPUT');
    expect(six.errors![0].extensions).toMatchObject({ field: 'stars' });
    expect(errorCode(await talent.api.request(RATE, { id: contract.id, stars: 0 }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await talent.api.request(RATE, { id: contract.id, stars: 4, comment: 'x'.repeat(2001) }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await stranger.api.request(RATE, { id: contract.id, stars: 1 }))).toBe('FORBIDDEN');

    const byTalent = (await talent.api.data(RATE, { id: contract.id, stars: 5, comment: ' Great client ' })).rateContract;
    expect(byTalent).toMatchObject({ stars: 5, comment: 'Great client', rater: { id: talent.id }, ratee: { id: client.id }, contract: { id: contract.id } });
    expect(errorCode(await talent.api.request(RATE, { id: contract.id, stars: 4 }))).toBe('CONFLICT');
    const byClient = (await client.api.data(RATE, { id: contract.id, stars: 4 })).rateContract;
    expect(byClient).toMatchObject({ stars: 4, comment: null, rater: { id: client.id }, ratee: { id: talent.id } });

    const { contract: rated } = await client.api.data(CONTRACT, { id: contract.id });
    expect(rated.ratings).toEqual([
      { stars: 5, comment: 'Great client', rater: { id: talent.id }, ratee: { id: client.id } },
      { stars: 4, comment: null, rater: { id: client.id }, ratee: { id: talent.id } },
    ]);
    expect(await jobsSql(stack, 'SELECT count(*)::int AS n FROM ratings WHERE contract_id = $1', [contract.id])).toEqual([{ n: 2 }]);

    const events = await waitFor(async () => {
      const rows = (await outboxOf(stack, [contract.id])).filter((r) => r.type === 'RatingSubmitted');
      return rows.length === 2 && rows;
    });
    expect(events.map((e) => e.payload)).toEqual([
      expect.objectContaining({ raterId: talent.id, rateeId: client.id, rateeRole: 'CLIENT', stars: 5, rateeAverageRating: 5, rateeRatingsCount: 1 }),
      expect.objectContaining({ raterId: client.id, rateeId: talent.id, rateeRole: 'TALENT', stars: 4, rateeAverageRating: 4, rateeRatingsCount: 1 }),
    ]);
  });

  it("composes User.reputation from jobs into identity's user, through the gateway", async () => {
    // A second completed contract for the talent, rated 5 by another client: average (4 + 5) / 2.
    const second = await postJob(stranger.api, {
      title: 'Fixed job',
      budget: { min: { amount: '1000', currency: 'EUR' }, max: { amount: '2000', currency: 'EUR' }, unit: 'FIXED' },
    });
    const application = await apply(talent.api, second.id, { amount: '1500', currency: 'EUR' });
    const hire = (await stranger.api.data(HIRE, { id: application.id })).hire;
    expect(hire).toMatchObject({ unit: 'FIXED', rate: { amount: '1500.00', currency: 'EUR' }, estimatedValue: { amount: '1500.00', currency: 'EUR' } });
    await stranger.api.data(COMPLETE, { id: hire.id });
    await stranger.api.data(RATE, { id: hire.id, stars: 5 });

    const { user } = await stack.api.data(REPUTATION, { id: talent.id });
    expect(user).toEqual({
      id: talent.id,
      displayName: 'Talent Theo',
      reputation: { averageRating: 4.5, ratingsCount: 2, fiveStarCount: 1, completedContracts: 2 },
    });
    expect((await stack.api.data(REPUTATION, { id: client.id })).user.reputation).toEqual({
      averageRating: 5,
      ratingsCount: 1,
      fiveStarCount: 1,
      completedContracts: 1,
    });
    // No ratings yet: averageRating is null.
    expect((await stack.api.data(REPUTATION, { id: talent3.id })).user.reputation).toEqual({
      averageRating: null,
      ratingsCount: 0,
      fiveStarCount: 0,
      completedContracts: 0,
    });
    // Several users in one request (batched into one query by jobs).
    const { contract: withUsers } = await talent.api.data(
      `query ($id: ID!) { contract(id: $id) { talent { displayName reputation { ratingsCount } } client { displayName reputation { ratingsCount } } } }`,
      { id: contract.id },
    );
    expect(withUsers).toEqual({
      talent: { displayName: 'Talent Theo', reputation: { ratingsCount: 2 } },
      client: { displayName: 'Client Cleo', reputation: { ratingsCount: 1 } },
    });
  });

  it('commits the whole flow to the outbox with the right event types, and publishes it', async () => {
    const ids = [job.id, hired.id, interviewing.id, withdrawn.id, contract.id];
    const events = await waitFor(async () => {
      const rows = await outboxOf(stack, ids);
      return rows.length > 0 && rows.every((r) => r.published) && rows;
    }, 15_000);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'JobPosted')).toHaveLength(1);
    expect(types.filter((t) => t === 'ApplicationSubmitted')).toHaveLength(3);
    expect(types.filter((t) => t === 'InterviewRecorded')).toHaveLength(1);
    expect(types.filter((t) => t === 'ContractStarted')).toHaveLength(1);
    expect(types.filter((t) => t === 'JobClosed')).toHaveLength(1);
    expect(types.filter((t) => t === 'ContractCompleted')).toHaveLength(1);
    expect(types.filter((t) => t === 'RatingSubmitted')).toHaveLength(2);
    const resolved = events.filter((e) => e.type === 'ApplicationResolved').map((e) => [e.payload.applicationId, e.payload.status, e.payload.reason]);
    expect(resolved).toEqual(
      expect.arrayContaining([
        [withdrawn.id, 'WITHDRAWN', 'WITHDRAWN'],
        [hired.id, 'HIRED', 'HIRED'],
        [interviewing.id, 'DECLINED', 'JOB_FILLED'],
      ]),
    );
    expect(resolved).toHaveLength(3);
    expect(events.find((e) => e.type === 'JobClosed')!.payload).toMatchObject({ jobId: job.id, status: 'FILLED' });
    expect(events.find((e) => e.type === 'ContractStarted')!.payload).toMatchObject({
      contractId: contract.id,
      jobId: job.id,
      applicationId: hired.id,
      clientId: client.id,
      talentId: talent.id,
      rate: { amount: '85.55', currency: 'USD' },
      unit: 'HOURLY',
      estimatedValue: { amount: '41149.55', currency: 'USD' },
      // Cleo's first hire; the race job's hire came later and was not a first hire.
      clientFirstHire: true,
    });
    const raceStarted = (
      await jobsSql(stack, `SELECT envelope FROM outbox WHERE type = 'ContractStarted' AND envelope->'payload'->>'clientId' = $1`, [client.id])
    )
      .map((r) => r.envelope.payload.clientFirstHire)
      .sort();
    expect(raceStarted).toEqual([false, true]);
    expect(events.find((e) => e.type === 'ContractCompleted')!.payload).toMatchObject({ contractId: contract.id, clientId: client.id, talentId: talent.id });
  });
});
