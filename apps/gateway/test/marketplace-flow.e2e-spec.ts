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

/*
 * The marketplace end to end, through the gateway, on the real stack (identity, jobs and
 * matching as processes, Kafka-protocol broker, PostgreSQL, Redis): a talent profile,
 * KYC and screening, a job posted and matched within seconds, apply, interview, hire,
 * complete, rate, reputation; and the refusals a frontend must handle.
 */
describe('marketplace: from a posted job to a rated contract', () => {
  let stack: Stack;
  let admin: Persona;
  let inspector: Persona;
  let client: Persona;
  let talent: Persona;
  let otherTalent: Persona;
  let stranger: Persona;
  let jobId: string;
  let applicationId: string;
  let contractId: string;

  const PROFILE = `mutation ($input: TalentProfileInput!) { upsertTalentProfile(input: $input) { skills hourlyRate { amount currency } openToWork } }`;
  const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id status skills budget { min { amount currency } max { amount } unit } } }`;
  const jobInput = {
    title: 'Senior TypeScript engineer for a payments API',
    description: 'Design and build a NestJS payments API with PostgreSQL and Kafka.',
    skills: ['TypeScript', 'NestJS', ' PostgreSQL '],
    minYearsExperience: 4,
    countries: [],
    budget: { min: { amount: '60', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
    hoursPerWeek: 30,
    durationWeeks: 12,
  };

  beforeAll(async () => {
    stack = await startStack({ services: ['jobs', 'matching'] });
    admin = await signInAdmin(stack);
    inspector = await createInspector(stack, admin);
    await makeMember(stack, inspector, admin);
    client = await registerPersona(stack, ['CLIENT'], 'Greta Client');
    talent = await registerPersona(stack, ['TALENT'], 'Ada Talent');
    otherTalent = await registerPersona(stack, ['TALENT'], 'Bruno Talent');
    stranger = await registerPersona(stack, ['TALENT'], 'Nosy Talent');
    for (const p of [client, talent, otherTalent]) await makeMember(stack, p, inspector);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('a member client posts a job once jobs has learnt of the KYC approval; a talent cannot post', async () => {
    await talent.api.data(PROFILE, {
      input: {
        headline: 'Backend engineer, payments',
        skills: ['typescript', 'nestjs', 'postgresql', 'kafka'],
        yearsExperience: 7,
        hourlyRate: { amount: '75.00', currency: 'USD' },
        country: 'PT',
        hoursPerWeek: 30,
        openToWork: true,
      },
    });
    await otherTalent.api.data(PROFILE, {
      input: {
        headline: 'Frontend engineer',
        skills: ['typescript', 'react'],
        yearsExperience: 3,
        hourlyRate: { amount: '140', currency: 'USD' },
        country: 'BR',
        hoursPerWeek: 20,
        openToWork: true,
      },
    });

    const refused = await talent.api.request(POST_JOB, { input: jobInput });
    expect(errorCode(refused)).toBe('FORBIDDEN');

    // Membership reaches jobs through KycApproved on Kafka.
    const posted = await waitFor(
      async () => {
        const res = await client.api.request(POST_JOB, { input: jobInput });
        return res.data?.postJob ?? (errorCode(res) === 'PRECONDITION_FAILED' ? undefined : Promise.reject(new Error(JSON.stringify(res.errors))));
      },
      20_000,
      { message: 'client became a member in jobs' },
    );
    expect(posted).toMatchObject({ status: 'OPEN', skills: ['typescript', 'nestjs', 'postgresql'] });
    jobId = posted.id;
  });

  it('matches arrive within seconds, only for screened talent, visible to the job client only', async () => {
    // Nobody is screened yet: no candidates.
    const MATCHES = `query ($id: ID!) { job(id: $id) { title matches(first: 5) { rank score reasons talent { id displayName } } } }`;
    await screenApproved(inspector, talent);
    const matches = await waitFor(
      async () => {
        const res = await client.api.data<{
          job: { matches: Array<{ rank: number; score: number; reasons: string[]; talent: { id: string; displayName: string } }> };
        }>(MATCHES, { id: jobId });
        return res.job.matches.length > 0 ? res.job.matches : undefined;
      },
      15_000,
      { message: 'matches proposed' },
    );
    expect(matches[0]).toMatchObject({ rank: 1, talent: { id: talent.id, displayName: 'Ada Talent' } });
    expect(matches[0].score).toBeGreaterThan(0);
    expect(matches[0].score).toBeLessThanOrEqual(1);
    expect(matches[0].reasons.join(' ')).toMatch(/skills 3\/3/);
    expect(matches.map((m) => m.talent.id)).not.toContain(otherTalent.id); // not screened

    // Anyone else sees the job, with no matches (an error would wipe the whole job).
    const asStranger = await stranger.api.request<{ job: { title: string; matches: unknown[] } }>(MATCHES, { id: jobId });
    expect(asStranger.errors).toBeUndefined();
    expect(asStranger.data!.job).toMatchObject({ matches: [] });
  });

  it('refuses a non-member applicant and a second application; applications are the client’s to read', async () => {
    const APPLY = `mutation ($job: ID!, $rate: MoneyInput!) { applyToJob(jobId: $job, coverLetter: "I built two payment APIs.", proposedRate: $rate) { id status talent { displayName } } }`;
    const nonMember = await stranger.api.request(APPLY, { job: jobId, rate: { amount: '80', currency: 'USD' } });
    expect(errorCode(nonMember)).toBe('PRECONDITION_FAILED');

    const applied = await waitFor(
      async () => {
        const res = await talent.api.request<{ applyToJob: { id: string; status: string } }>(APPLY, { job: jobId, rate: { amount: '80', currency: 'USD' } });
        return res.data?.applyToJob ?? (errorCode(res) === 'PRECONDITION_FAILED' ? undefined : Promise.reject(new Error(JSON.stringify(res.errors))));
      },
      20_000,
      { message: 'talent became a member in jobs' },
    );
    expect(applied.status).toBe('SUBMITTED');
    applicationId = applied.id;

    const again = await talent.api.request(APPLY, { job: jobId, rate: { amount: '70', currency: 'USD' } });
    expect(errorCode(again)).toBe('CONFLICT');

    const APPLICATIONS = `query ($id: ID!) { job(id: $id) { applications { id status proposedRate { amount } } } }`;
    const asStranger = await stranger.api.request<{ job: { applications: unknown[] } }>(APPLICATIONS, { id: jobId });
    expect(asStranger.errors).toBeUndefined();
    expect(asStranger.data!.job.applications).toEqual([]);
    const own = await client.api.data<{ job: { applications: Array<{ id: string }> } }>(APPLICATIONS, { id: jobId });
    expect(own.job.applications.map((a) => a.id)).toEqual([applicationId]);
  });

  it('interview, hire at the proposed rate with the exact estimated value, complete', async () => {
    const interview = await client.api.data<{ recordInterview: { status: string } }>(
      `mutation ($id: ID!) { recordInterview(applicationId: $id, outcome: ATTENDED) { status } }`,
      { id: applicationId },
    );
    expect(interview.recordInterview.status).toBe('INTERVIEWING');

    const { hire } = await client.api.data<{
      hire: { id: string; status: string; rate: { amount: string }; estimatedValue: { amount: string; currency: string }; talent: { displayName: string } };
    }>(`mutation ($id: ID!) { hire(applicationId: $id) { id status rate { amount } unit estimatedValue { amount currency } talent { displayName } } }`, {
      id: applicationId,
    });
    // 80 USD/h x 30 h/week x 12 weeks
    expect(hire).toMatchObject({ status: 'ACTIVE', estimatedValue: { amount: '28800.00', currency: 'USD' }, talent: { displayName: 'Ada Talent' } });
    contractId = hire.id;

    const job = await client.api.data<{ job: { status: string } }>(`query ($id: ID!) { job(id: $id) { status } }`, { id: jobId });
    expect(job.job.status).toBe('FILLED');

    const RATE = `mutation ($id: ID!, $stars: Int!) { rateContract(contractId: $id, stars: $stars, comment: "Great work") { stars ratee { id } } }`;
    expect(errorCode(await client.api.request(RATE, { id: contractId, stars: 5 }))).toBe('PRECONDITION_FAILED'); // still active

    const done = await client.api.data<{ completeContract: { status: string; endedAt: string } }>(
      `mutation ($id: ID!) { completeContract(contractId: $id) { status endedAt } }`,
      { id: contractId },
    );
    expect(done.completeContract.status).toBe('COMPLETED');
  });

  it('both sides rate once; 6 stars is refused; reputation shows on the User across subgraphs', async () => {
    const RATE = `mutation ($id: ID!, $stars: Int!) { rateContract(contractId: $id, stars: $stars) { stars ratee { id } } }`;
    expect(errorCode(await client.api.request(RATE, { id: contractId, stars: 6 }))).toBe('BAD_USER_INPUT');
    const byClient = await client.api.data<{ rateContract: { stars: number; ratee: { id: string } } }>(RATE, { id: contractId, stars: 5 });
    expect(byClient.rateContract).toEqual({ stars: 5, ratee: { id: talent.id } });
    expect(errorCode(await client.api.request(RATE, { id: contractId, stars: 4 }))).toBe('CONFLICT');
    await talent.api.data(RATE, { id: contractId, stars: 4 });

    const { user } = await stranger.api.data<{ user: { displayName: string; reputation: Record<string, unknown>; talentProfile: { headline: string } } }>(
      `query ($id: ID!) { user(id: $id) { displayName talentProfile { headline } reputation { averageRating ratingsCount fiveStarCount completedContracts } } }`,
      { id: talent.id },
    );
    expect(user).toEqual({
      displayName: 'Ada Talent',
      talentProfile: { headline: 'Backend engineer, payments' },
      reputation: { averageRating: 5, ratingsCount: 1, fiveStarCount: 1, completedContracts: 1 },
    });
    const contracts = await talent.api.data<{ myContracts: Array<{ id: string; ratings: Array<{ stars: number }> }> }>(
      `{ myContracts { id ratings { stars } } }`,
    );
    expect(contracts.myContracts).toEqual([{ id: contractId, ratings: expect.arrayContaining([{ stars: 5 }, { stars: 4 }]) }]);
  });

  it('matching stats count the job and its time to first match', async () => {
    const { matchingStats } = await stack.api.data<{ matchingStats: { jobsPosted: number; matchRate24h: number; medianSecondsToFirstMatch: number | null } }>(
      `{ matchingStats { jobsPosted matchRate24h medianSecondsToFirstMatch averageCandidatesPerJob } }`,
    );
    expect(matchingStats.jobsPosted).toBe(1);
    expect(matchingStats.matchRate24h).toBe(1);
    expect(matchingStats.medianSecondsToFirstMatch).not.toBeNull();
  });
});
