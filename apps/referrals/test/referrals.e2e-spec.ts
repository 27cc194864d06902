/**
 * Referral codes, signup attribution, job referrals, qualification and rewards, driven
 * through the gateway on the real stack (identity, referrals and the gateway as processes).
 * Jobs and rewards are not running: the tests publish their events as they would.
 */
import { randomUUID } from 'node:crypto';
import { ContractStarted, createEvent, Topics } from '@talent/events';
import { errorCode, makeMember, registerPersona, waitFor, type Persona } from '@talent/testing';
import {
  applyToJob,
  awaitEvent,
  closeJob,
  deliver,
  eventsOf,
  grantReward,
  hire,
  jobReferral,
  member,
  myJobReferrals,
  myReferrals,
  MY_REFERRALS,
  postJob,
  redeliver,
  refer,
  REFER,
  referralsSql,
  registered,
  signupReferral,
  startHarness,
  type Harness,
} from './harness';

// Jest 30 reads testTimeout only from the global config, not from the e2e project: set it here.
jest.setTimeout(120_000);

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.stop();
});

/** Types of the events referrals committed about these aggregates (its outbox: what will be, or was, published). */
const outboxTypes = async (aggregateIds: string[]): Promise<string[]> =>
  (await referralsSql<{ type: string }>(h, 'SELECT type FROM outbox WHERE message_key = ANY ($1::text[]) ORDER BY seq', [aggregateIds])).map((r) => r.type);
const count = async (sql: string, params?: unknown[]): Promise<number> => (await referralsSql<{ n: number }>(h, sql, params))[0].n;

describe('referral codes', () => {
  const ME = `{ me { id displayName isMember referralCode } }`;
  const USER = `query ($id: ID!) { user(id: $id) { id displayName referralCode } }`;

  it('a member gets a code, composed into `me` with identity fields, that only they and admins see', async () => {
    const person = await registerPersona(h.stack, ['TALENT', 'CONNECTOR'], 'Coda');
    expect((await person.api.data(ME)).me).toEqual({ id: person.id, displayName: 'Coda', isMember: false, referralCode: null });

    await makeMember(h.stack, person, h.admin);
    const me = await waitFor(
      async () => {
        const current = (await person.api.data(ME)).me;
        return current.referralCode && current;
      },
      30_000,
      { message: 'referral code issued' },
    );
    expect(me).toMatchObject({ id: person.id, displayName: 'Coda', isMember: true });
    expect(me.referralCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);

    const other = await registerPersona(h.stack, ['CLIENT'], 'Nosy');
    expect((await other.api.data(USER, { id: person.id })).user).toEqual({ id: person.id, displayName: 'Coda', referralCode: null });
    expect((await h.stack.api.data(USER, { id: person.id })).user.referralCode).toBeNull();
    expect((await h.admin.api.data(USER, { id: person.id })).user.referralCode).toBe(me.referralCode);
    expect((await person.api.data(USER, { id: person.id })).user.referralCode).toBe(me.referralCode);
    expect(await referralsSql(h, 'SELECT code FROM referral_codes WHERE user_id = $1', [person.id])).toEqual([{ code: me.referralCode }]);
  });

  it('gives every member a different code', async () => {
    const members = await Promise.all([member(h, ['TALENT'], 'M1'), member(h, ['CLIENT'], 'M2'), member(h, ['CONNECTOR'], 'M3')]);
    expect(new Set(members.map((m) => m.code)).size).toBe(3);
  });
});

describe('signup attribution', () => {
  let connector: Persona & { code: string };

  beforeAll(async () => {
    connector = await member(h, ['CONNECTOR'], 'Connie');
  });

  it("a signup with a valid code shows in the connector's myReferrals, SIGNED_UP with its kind, newest first", async () => {
    const talent = await registered(h, ['TALENT'], 'Tal', connector.code.toLowerCase());
    const client = await registered(h, ['CLIENT'], 'Cli', connector.code);
    // Both roles: TALENT wins (documented). Codes may be typed with a dash.
    const both = await registered(h, ['CLIENT', 'TALENT'], 'Both', `${connector.code.slice(0, 4)}-${connector.code.slice(4)}`);

    const list = await myReferrals(connector);
    expect(list.map((r) => [r.referredUser.id, r.kind])).toEqual([
      [both.id, 'TALENT'],
      [client.id, 'CLIENT'],
      [talent.id, 'TALENT'],
    ]);
    for (const r of list) {
      expect(r).toMatchObject({ connector: { id: connector.id }, status: 'SIGNED_UP', rewardAmount: null, invalidReason: null });
      expect(Date.parse(r.createdAt)).not.toBeNaN();
    }
    // The gateway completes the users from identity.
    const named = await connector.api.data(`{ myReferrals { connector { displayName } referredUser { displayName } } }`);
    expect(named.myReferrals).toEqual(['Both', 'Cli', 'Tal'].map((n) => ({ connector: { displayName: 'Connie' }, referredUser: { displayName: n } })));

    for (const [user, kind] of [
      [talent, 'TALENT'],
      [client, 'CLIENT'],
      [both, 'TALENT'],
    ] as const) {
      const event = await awaitEvent(h, 'ReferralAttributed', (p) => p.referredUserId === user.id);
      expect(event).toMatchObject({ connectorId: connector.id, kind, referralId: list.find((r) => r.referredUser.id === user.id).id });
    }
    // Only the connector sees them.
    expect(await myReferrals(talent)).toEqual([]);
  });

  it('an unknown code is ignored: the registration succeeds and no referral is made', async () => {
    const stray = await registered(h, ['TALENT'], 'Stray', 'ZZZZ9999'); // well-formed, nobody's
    const odd = await registered(h, ['CLIENT'], 'Odd', 'no-such-referral-code'); // not even a code
    // A connector-only signup cannot qualify for anything: not attributed either (documented).
    const peer = await registered(h, ['CONNECTOR'], 'Peer', connector.code);
    expect((await stray.api.data(`{ me { id } }`)).me.id).toBe(stray.id);
    expect((await odd.api.data(`{ me { id } }`)).me.id).toBe(odd.id);
    const ids = [stray.id, odd.id, peer.id];
    expect(await referralsSql(h, 'SELECT id FROM referrals WHERE referred_user_id = ANY ($1::uuid[])', [ids])).toEqual([]);
    expect(await outboxTypes(ids)).toEqual([]);
    expect((await myReferrals(connector)).map((r) => r.referredUser.id)).not.toContain(peer.id);
  });

  it('myReferrals needs a signed-in caller', async () => {
    const res = await h.stack.api.request(MY_REFERRALS);
    expect(errorCode(res)).toBe('UNAUTHENTICATED');
  });
});

describe('referTalentToJob', () => {
  let connector: Persona;
  let talent: Persona;
  let client: Persona;
  let jobId: string;

  beforeAll(async () => {
    [connector, talent, client] = await Promise.all([
      member(h, ['CONNECTOR', 'TALENT'], 'Rena'),
      registered(h, ['TALENT'], 'Tia'),
      registered(h, ['CLIENT'], 'Clio'),
    ]);
    jobId = await postJob(h, client.id);
  });

  it('refuses bad requests with a clear code and changes nothing', async () => {
    const [nonMember, clientOnly, memberClient] = await Promise.all([
      registered(h, ['CONNECTOR', 'TALENT'], 'Newbie'),
      registered(h, ['CLIENT'], 'Not a talent'),
      member(h, ['CLIENT'], 'Own job client'),
    ]);
    const closedJob = await postJob(h, client.id);
    await closeJob(h, closedJob, client.id);
    const filledJob = await postJob(h, client.id);
    await closeJob(h, filledJob, client.id, 'FILLED');
    const ownJob = await postJob(h, memberClient.id);
    const ok = { jobId, talentId: talent.id };
    const cases: Array<[string, Persona | null, Record<string, unknown>, string]> = [
      ['an anonymous caller', null, ok, 'UNAUTHENTICATED'],
      ['a caller who is not a member', nonMember, ok, 'PRECONDITION_FAILED'],
      ['an unknown talent', connector, { jobId, talentId: randomUUID() }, 'NOT_FOUND'],
      ['a talent id that is not an id', connector, { jobId, talentId: 'nobody' }, 'NOT_FOUND'],
      ['a user who is not a talent', connector, { jobId, talentId: clientOnly.id }, 'BAD_USER_INPUT'],
      ['oneself', connector, { jobId, talentId: connector.id }, 'FORBIDDEN'],
      ['an unknown job', connector, { jobId: randomUUID(), talentId: talent.id }, 'NOT_FOUND'],
      ['a closed job', connector, { jobId: closedJob, talentId: talent.id }, 'PRECONDITION_FAILED'],
      ['a filled job', connector, { jobId: filledJob, talentId: talent.id }, 'PRECONDITION_FAILED'],
      ['the client, to their own job', memberClient, { jobId: ownJob, talentId: talent.id }, 'FORBIDDEN'],
      ['a note over 1000 characters', connector, { ...ok, note: 'x'.repeat(1001) }, 'BAD_USER_INPUT'],
    ];
    const before = await count('SELECT count(*)::int AS n FROM job_referrals');
    const outboxBefore = await count('SELECT count(*)::int AS n FROM outbox');
    for (const [what, caller, variables, code] of cases) {
      const res = await (caller?.api ?? h.stack.api).request(REFER, { note: null, ...variables });
      expect({ what, code: errorCode(res), data: res.data ?? null }).toEqual({ what, code, data: null });
    }
    expect(await count('SELECT count(*)::int AS n FROM job_referrals')).toBe(before);
    expect(await count('SELECT count(*)::int AS n FROM outbox')).toBe(outboxBefore);
  });

  it('a member refers a talent to an open job: SIGNED_UP, JobReferralCreated; the same talent to the same job again is a CONFLICT', async () => {
    const created = await refer(connector, jobId, talent.id, '  Shipped two federated gateways with her.  ');
    expect(created).toMatchObject({
      job: { id: jobId },
      connector: { id: connector.id },
      talent: { id: talent.id },
      note: 'Shipped two federated gateways with her.',
      status: 'SIGNED_UP',
      invalidReason: null,
      rewardAmount: null,
    });
    expect((await myJobReferrals(connector)).map((r) => r.id)).toContain(created.id);
    expect(await awaitEvent(h, 'JobReferralCreated', (p) => p.jobReferralId === created.id)).toMatchObject({
      jobId,
      connectorId: connector.id,
      talentId: talent.id,
    });

    const another = await member(h, ['CONNECTOR'], 'Late');
    for (const who of [connector, another]) {
      const res = await who.api.request(REFER, { jobId, talentId: talent.id, note: null });
      expect(errorCode(res)).toBe('CONFLICT');
    }
    expect(await count('SELECT count(*)::int AS n FROM job_referrals WHERE job_id = $1 AND talent_id = $2', [jobId, talent.id])).toBe(1);
    expect(await outboxTypes([created.id])).toEqual(['JobReferralCreated']);

    // A note of exactly 1000 characters is fine; an empty one is no note.
    const second = await registered(h, ['TALENT'], 'Tom');
    expect((await refer(connector, jobId, second.id, 'y'.repeat(1000))).note).toHaveLength(1000);
    const third = await registered(h, ['TALENT'], 'Tess');
    expect((await refer(connector, jobId, third.id, '   ')).note).toBeNull();
  });

  it('follows roles granted after signup: a client made TALENT by an admin can then be referred', async () => {
    const convert = await registered(h, ['CLIENT'], 'Convert');
    expect(errorCode(await connector.api.request(REFER, { jobId, talentId: convert.id, note: null }))).toBe('BAD_USER_INPUT');
    await h.admin.api.data(`mutation ($u: ID!) { grantRole(userId: $u, role: TALENT) { id } }`, { u: convert.id });
    await waitFor(async () => (await referralsSql(h, `SELECT 1 FROM users WHERE id = $1 AND 'TALENT' = ANY (roles)`, [convert.id])).length > 0, 20_000, {
      message: 'referrals learns the granted role',
    });
    expect((await refer(connector, jobId, convert.id)).status).toBe('SIGNED_UP');
  });

  it("shows a job's referrals to its client and admins; other users see only the ones they made or that name them", async () => {
    const [otherConnector, talent2, stranger] = await Promise.all([
      member(h, ['CONNECTOR'], 'Otto'),
      registered(h, ['TALENT'], 'Tara'),
      registered(h, ['TALENT'], 'Stranger'),
    ]);
    const job = await postJob(h, client.id);
    const mine = await refer(connector, job, talent.id);
    const theirs = await refer(otherConnector, job, talent2.id);

    // Through the gateway: from the connector's own referral to the job and back.
    const viaGateway = await connector.api.data(`{ myJobReferrals { id job { id referrals { id } } } }`);
    expect(viaGateway.myJobReferrals.find((r: any) => r.id === mine.id).job).toEqual({ id: job, referrals: [{ id: mine.id }] });

    // As jobs' `job(id)` would reach it: the subgraph's entity resolution, with each caller's token.
    const subgraph = h.stack.subgraph('referrals'); // signed as the gateway signs
    const referralsOfJob = async (token?: string) =>
      (
        await subgraph.withToken(token).data(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on Job { referrals { id } } } }`, {
          r: [{ __typename: 'Job', id: job }],
        })
      )._entities[0].referrals.map((r: { id: string }) => r.id);
    expect(await referralsOfJob(client.accessToken)).toEqual([theirs.id, mine.id]);
    expect(await referralsOfJob(h.admin.accessToken)).toEqual([theirs.id, mine.id]);
    expect(await referralsOfJob(connector.accessToken)).toEqual([mine.id]);
    expect(await referralsOfJob(talent2.accessToken)).toEqual([theirs.id]);
    expect(await referralsOfJob(stranger.accessToken)).toEqual([]);
    expect(await referralsOfJob(undefined)).toEqual([]);
  });
});

describe('qualification', () => {
  let client: Persona;

  beforeAll(async () => {
    client = await registered(h, ['CLIENT'], 'Hirer');
  });

  it('a job referral qualifies when the talent is hired for that job: QUALIFIED, and ReferralQualified carries the contract value', async () => {
    const [connector, talent] = await Promise.all([member(h, ['CONNECTOR'], 'Quin'), registered(h, ['TALENT'], 'Quincy')]);
    const job = await postJob(h, client.id);
    const referral = await refer(connector, job, talent.id);
    const contract = await hire(h, { jobId: job, talentId: talent.id, clientId: client.id, value: '48000.00' });

    expect((await jobReferral(connector, referral.id)).status).toBe('QUALIFIED');
    expect(await awaitEvent(h, 'ReferralQualified', (p) => p.referralId === referral.id)).toEqual({
      referralId: referral.id,
      referralType: 'JOB',
      kind: 'TALENT',
      connectorId: connector.id,
      referredUserId: talent.id,
      contractId: contract.payload.contractId,
      contractValue: { amount: '48000.00', currency: 'USD' },
      qualifiedAt: expect.any(String),
    });
  });

  it('a signup referral qualifies when the referred talent is hired, for any job', async () => {
    const connector = await member(h, ['CONNECTOR'], 'Sig');
    const talent = await registered(h, ['TALENT'], 'Signe', connector.code);
    const contract = await hire(h, { jobId: await postJob(h, client.id), talentId: talent.id, clientId: client.id, value: '9000' });
    const referral = await signupReferral(connector, talent.id);
    expect(referral.status).toBe('QUALIFIED');
    expect(await awaitEvent(h, 'ReferralQualified', (p) => p.referralId === referral.id)).toMatchObject({
      referralType: 'SIGNUP',
      kind: 'TALENT',
      connectorId: connector.id,
      referredUserId: talent.id,
      contractId: contract.payload.contractId,
      contractValue: { amount: '9000', currency: 'USD' },
    });
  });

  it("the job referral wins over the talent's signup referral: one ReferralQualified for the talent side", async () => {
    const [signupConnector, jobConnector] = await Promise.all([member(h, ['CONNECTOR'], 'Early'), member(h, ['CONNECTOR'], 'Scout')]);
    const talent = await registered(h, ['TALENT'], 'Wanted', signupConnector.code);
    const job = await postJob(h, client.id);
    const viaJob = await refer(jobConnector, job, talent.id);
    const viaSignup = await signupReferral(signupConnector, talent.id);
    expect(viaSignup.status).toBe('SIGNED_UP');

    const contract = await hire(h, { jobId: job, talentId: talent.id, clientId: client.id });
    expect((await jobReferral(jobConnector, viaJob.id)).status).toBe('QUALIFIED');
    // The signup referral can never pay now: the talent qualified once for this kind.
    expect(await signupReferral(signupConnector, talent.id)).toMatchObject({ status: 'INVALID', invalidReason: 'ALREADY_REWARDED' });

    await awaitEvent(h, 'ReferralInvalidated', (p) => p.referralId === viaSignup.id);
    const qualified = eventsOf(h, 'ReferralQualified', (p) => p.contractId === contract.payload.contractId);
    expect(qualified).toEqual([expect.objectContaining({ referralId: viaJob.id, referralType: 'JOB', connectorId: jobConnector.id })]);
    expect(await outboxTypes([viaJob.id, viaSignup.id])).toEqual(['ReferralAttributed', 'JobReferralCreated', 'ReferralQualified', 'ReferralInvalidated']);
  });

  it("a client referral qualifies on the client's first hire only", async () => {
    const connector = await member(h, ['CONNECTOR'], 'Closer');
    const [repeatClient, newClient, talent] = await Promise.all([
      registered(h, ['CLIENT'], 'Repeat client', connector.code),
      registered(h, ['CLIENT'], 'New client', connector.code),
      registered(h, ['TALENT'], 'Hired hand'),
    ]);
    const repeatReferral = await signupReferral(connector, repeatClient.id);
    const newReferral = await signupReferral(connector, newClient.id);

    // Not the client's first hire (they hired before, e.g. before the referral program): nothing.
    await hire(h, { jobId: await postJob(h, repeatClient.id), talentId: talent.id, clientId: repeatClient.id, clientFirstHire: false });
    expect((await signupReferral(connector, repeatClient.id)).status).toBe('SIGNED_UP');
    expect(await outboxTypes([repeatReferral.id])).toEqual(['ReferralAttributed']);

    const first = await hire(h, {
      jobId: await postJob(h, newClient.id),
      talentId: talent.id,
      clientId: newClient.id,
      clientFirstHire: true,
      value: '12500.50',
    });
    expect((await signupReferral(connector, newClient.id)).status).toBe('QUALIFIED');
    expect(await awaitEvent(h, 'ReferralQualified', (p) => p.referralId === newReferral.id)).toMatchObject({
      referralType: 'SIGNUP',
      kind: 'CLIENT',
      connectorId: connector.id,
      referredUserId: newClient.id,
      contractId: first.payload.contractId,
      contractValue: { amount: '12500.50', currency: 'USD' },
    });

    // Their next hire pays nothing more.
    await hire(h, { jobId: await postJob(h, newClient.id), talentId: talent.id, clientId: newClient.id, clientFirstHire: false });
    expect(await outboxTypes([newReferral.id])).toEqual(['ReferralAttributed', 'ReferralQualified']);
  });
});

describe('a job referral must come before the application', () => {
  let client: Persona;

  beforeAll(async () => {
    client = await registered(h, ['CLIENT'], 'Orderly client');
  });

  const jobReferralRows = (jobId: string, talentId: string) =>
    referralsSql(h, 'SELECT id, status, invalid_reason FROM job_referrals WHERE job_id = $1 AND talent_id = $2', [jobId, talentId]);

  it('refuses up front (PRECONDITION_FAILED) to refer a talent referrals has seen apply to the job, and changes nothing', async () => {
    const [connector, applicant, other] = await Promise.all([
      member(h, ['CONNECTOR'], 'Too late'),
      registered(h, ['TALENT'], 'Already applied'),
      registered(h, ['TALENT'], 'Not applied'),
    ]);
    const job = await postJob(h, client.id);
    await applyToJob(h, { jobId: job, talentId: applicant.id, clientId: client.id });
    expect(await referralsSql(h, 'SELECT job_id, talent_id FROM applications WHERE job_id = $1', [job])).toEqual([{ job_id: job, talent_id: applicant.id }]);

    const outboxBefore = await count('SELECT count(*)::int AS n FROM outbox');
    const res = await connector.api.request(REFER, { jobId: job, talentId: applicant.id, note: null });
    expect(errorCode(res)).toBe('PRECONDITION_FAILED');
    expect(res.errors![0].message).toMatch(/already applied to this job: a job referral must come before the application/);
    expect(res.data ?? null).toBeNull();
    expect(await jobReferralRows(job, applicant.id)).toEqual([]);
    expect(await count('SELECT count(*)::int AS n FROM outbox')).toBe(outboxBefore);

    // The same job, a talent who has not applied: referred as usual.
    expect((await refer(connector, job, other.id)).status).toBe('SIGNED_UP');
  });

  it('when referrals never saw the application, the hire refuses a referral made after it (REFERRED_AFTER_APPLICATION): nothing qualifies', async () => {
    const [connector, talent] = await Promise.all([member(h, ['CONNECTOR'], 'Backdater'), registered(h, ['TALENT'], 'Applied first')]);
    const job = await postJob(h, client.id);
    const appliedAt = new Date(Date.now() - 60_000); // jobs' ApplicationSubmitted never reached referrals (lag)
    const referral = await refer(connector, job, talent.id);
    expect(referral.status).toBe('SIGNED_UP');

    const contract = await hire(h, { jobId: job, talentId: talent.id, clientId: client.id, appliedAt });
    expect(await jobReferral(connector, referral.id)).toMatchObject({ status: 'INVALID', invalidReason: 'REFERRED_AFTER_APPLICATION' });
    expect(await awaitEvent(h, 'ReferralInvalidated', (p) => p.referralId === referral.id)).toMatchObject({
      referralType: 'JOB',
      connectorId: connector.id,
      referredUserId: talent.id,
      reason: 'REFERRED_AFTER_APPLICATION',
    });
    expect(await outboxTypes([referral.id])).toEqual(['JobReferralCreated', 'ReferralInvalidated']);
    expect(await referralsSql(h, 'SELECT referral_id FROM qualifications WHERE contract_id = $1', [contract.payload.contractId])).toEqual([]);
    expect(eventsOf(h, 'ReferralQualified', (p) => p.contractId === contract.payload.contractId)).toEqual([]);
  });

  it("the talent's signup referral is then judged as usual, and qualifies", async () => {
    const [signupConnector, jobConnector] = await Promise.all([member(h, ['CONNECTOR'], 'Signed them up'), member(h, ['CONNECTOR'], 'Jumped in')]);
    const talent = await registered(h, ['TALENT'], 'Recruited early', signupConnector.code);
    const job = await postJob(h, client.id);
    const appliedAt = new Date(Date.now() - 60_000);
    const viaJob = await refer(jobConnector, job, talent.id);
    const viaSignup = await signupReferral(signupConnector, talent.id);

    const contract = await hire(h, { jobId: job, talentId: talent.id, clientId: client.id, appliedAt });
    expect(await jobReferral(jobConnector, viaJob.id)).toMatchObject({ status: 'INVALID', invalidReason: 'REFERRED_AFTER_APPLICATION' });
    expect((await signupReferral(signupConnector, talent.id)).status).toBe('QUALIFIED');
    expect(await awaitEvent(h, 'ReferralQualified', (p) => p.contractId === contract.payload.contractId)).toMatchObject({
      referralId: viaSignup.id,
      referralType: 'SIGNUP',
      connectorId: signupConnector.id,
    });
    expect(await referralsSql(h, 'SELECT referral_id FROM qualifications WHERE contract_id = $1', [contract.payload.contractId])).toEqual([
      { referral_id: viaSignup.id },
    ]);
  });

  it('a job referral made before the application still qualifies, with the application seen or not', async () => {
    const [connector, seen, unseen] = await Promise.all([
      member(h, ['CONNECTOR'], 'On time'),
      registered(h, ['TALENT'], 'Referred, then applied'),
      registered(h, ['TALENT'], 'Referred, then applied unseen'),
    ]);
    const job = await postJob(h, client.id);
    const otherJob = await postJob(h, client.id);
    const first = await refer(connector, job, seen.id);
    const second = await refer(connector, otherJob, unseen.id);

    const submittedAt = new Date();
    await applyToJob(h, { jobId: job, talentId: seen.id, clientId: client.id, submittedAt });
    await hire(h, { jobId: job, talentId: seen.id, clientId: client.id, appliedAt: submittedAt });
    await hire(h, { jobId: otherJob, talentId: unseen.id, clientId: client.id });
    expect((await jobReferral(connector, first.id)).status).toBe('QUALIFIED');
    expect((await jobReferral(connector, second.id)).status).toBe('QUALIFIED');
  });
});

describe('rewards', () => {
  it('RewardGranted for a qualified referral shows it REWARDED with the amount; other grants change nothing', async () => {
    const [connector, client] = await Promise.all([member(h, ['CONNECTOR'], 'Payee'), registered(h, ['CLIENT'], 'Payer')]);
    const [talent, referredClient, waiting] = await Promise.all([
      registered(h, ['TALENT'], 'Rewarded talent'),
      registered(h, ['CLIENT'], 'Rewarded client', connector.code),
      registered(h, ['TALENT'], 'Not hired yet', connector.code),
    ]);
    const job = await postJob(h, referredClient.id);
    const viaJob = await refer(connector, job, talent.id);
    await hire(h, { jobId: job, talentId: talent.id, clientId: referredClient.id, clientFirstHire: true });
    const viaSignup = await signupReferral(connector, referredClient.id);
    expect(viaSignup.status).toBe('QUALIFIED');

    // Not ours, or not payable: wrong policy, wrong beneficiary, a referral that did not qualify, an unknown reference.
    const pending = await signupReferral(connector, waiting.id);
    await grantReward(h, { referralId: viaJob.id, connectorId: connector.id, amount: '5', policy: 'rating.five_star' });
    await grantReward(h, { referralId: viaJob.id, connectorId: client.id, amount: '5' });
    await grantReward(h, { referralId: pending.id, connectorId: connector.id, amount: '5' });
    await grantReward(h, { referralId: randomUUID(), connectorId: connector.id, amount: '5' });
    expect((await jobReferral(connector, viaJob.id)).status).toBe('QUALIFIED');
    expect(await signupReferral(connector, waiting.id)).toMatchObject({ status: 'SIGNED_UP', rewardAmount: null });

    // One grant per paid invoice: REWARDED with the running total; a grant published again (new event id) counts once.
    const firstGrant = randomUUID();
    await grantReward(h, { referralId: viaJob.id, connectorId: connector.id, amount: '480.000000000000000001', grantId: firstGrant });
    await grantReward(h, { referralId: viaSignup.id, connectorId: connector.id, amount: '125.5', policy: 'connector.client_referral' });
    expect(await jobReferral(connector, viaJob.id)).toMatchObject({ status: 'REWARDED', rewardAmount: '480.000000000000000001' });
    expect(await signupReferral(connector, referredClient.id)).toMatchObject({ status: 'REWARDED', rewardAmount: '125.5' });
    await grantReward(h, { referralId: viaJob.id, connectorId: connector.id, amount: '480.000000000000000001', grantId: firstGrant });
    await grantReward(h, { referralId: viaJob.id, connectorId: connector.id, amount: '19.999999999999999999' });
    expect(await jobReferral(connector, viaJob.id)).toMatchObject({ status: 'REWARDED', rewardAmount: '500' });
  });
});

describe('redelivery', () => {
  it('a ContractStarted delivered again, or published again for the same contract, changes nothing', async () => {
    const [connector, client, talent] = await Promise.all([
      member(h, ['CONNECTOR'], 'Once'),
      registered(h, ['CLIENT'], 'Once client'),
      registered(h, ['TALENT'], 'Once talent'),
    ]);
    const job = await postJob(h, client.id);
    const referral = await refer(connector, job, talent.id);
    const contract = await hire(h, { jobId: job, talentId: talent.id, clientId: client.id });
    expect((await jobReferral(connector, referral.id)).status).toBe('QUALIFIED');

    const snapshot = async () => ({
      referral: await jobReferral(connector, referral.id),
      outbox: await count('SELECT count(*)::int AS n FROM outbox'),
      qualifications: await referralsSql(h, 'SELECT referral_id, contract_id FROM qualifications WHERE contract_id = $1', [contract.payload.contractId]),
    });
    const before = await snapshot();
    // The very same message again (the inbox knows its id), then the same hire as a new event: both on
    // the contract's key, so once the second is applied, the first was handled too.
    await redeliver(h, contract, Topics.jobs);
    await deliver(h, createEvent(ContractStarted, contract.payload), Topics.jobs);
    expect(await snapshot()).toEqual(before);
    expect(await count('SELECT count(*)::int AS n FROM inbox WHERE event_id = $1', [contract.id])).toBe(1);
    expect(eventsOf(h, 'ReferralQualified', (p) => p.contractId === contract.payload.contractId)).toHaveLength(1);
  });
});
