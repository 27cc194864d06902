/**
 * The fraud rules, end to end: every refused referral stays, INVALID with its reason, and
 * is announced with ReferralInvalidated; none of them ever qualifies.
 */
import { UserRegistered } from '@talent/events';
import { errorCode, type Persona } from '@talent/testing';
import {
  awaitEvent,
  eventsOf,
  grantReward,
  hire,
  jobReferral,
  member,
  myReferrals,
  postJob,
  publish,
  refer,
  REFER,
  referralsSql,
  registered,
  startHarness,
  type Harness,
} from './harness';

// Jest 30 reads testTimeout only from the global config, not from the e2e project: set it here.
jest.setTimeout(120_000);

const DAILY_CAP = 2;

let h: Harness;
let client: Persona;

beforeAll(async () => {
  h = await startHarness({ REFERRAL_DAILY_CAP: String(DAILY_CAP) });
  client = await registered(h, ['CLIENT'], 'Client');
});

afterAll(async () => {
  await h?.stop();
});

const invalidation = (referralId: string) => awaitEvent(h, 'ReferralInvalidated', (p) => p.referralId === referralId);

describe('SELF_REFERRAL', () => {
  it('a connector cannot refer themselves to a job: FORBIDDEN, nothing stored', async () => {
    const connector = await member(h, ['TALENT', 'CONNECTOR'], 'Narcissus');
    const res = await connector.api.request(REFER, { jobId: await postJob(h, client.id), talentId: connector.id, note: null });
    expect(errorCode(res)).toBe('FORBIDDEN');
    expect(res.errors![0].message).toBe('You cannot refer yourself to a job');
    expect(await referralsSql(h, 'SELECT id FROM job_referrals WHERE connector_id = $1', [connector.id])).toEqual([]);
  });

  it("a registration that names its own owner's code (after a race or a replay) is kept INVALID and announced", async () => {
    const owner = await member(h, ['TALENT', 'CONNECTOR'], 'Echo');
    // Identity would never send this (the code is issued after registration); a race or a replay could.
    await publish(h, UserRegistered, { userId: owner.id, roles: ['TALENT'], referralCode: owner.code, registeredAt: new Date().toISOString() });

    const [referral] = await myReferrals(owner);
    expect(referral).toMatchObject({
      connector: { id: owner.id },
      referredUser: { id: owner.id },
      kind: 'TALENT',
      status: 'INVALID',
      invalidReason: 'SELF_REFERRAL',
    });
    expect(await invalidation(referral.id)).toMatchObject({
      referralType: 'SIGNUP',
      connectorId: owner.id,
      referredUserId: owner.id,
      reason: 'SELF_REFERRAL',
    });
    // It never qualifies.
    await hire(h, { jobId: await postJob(h, client.id), talentId: owner.id, clientId: client.id });
    expect((await myReferrals(owner))[0]).toMatchObject({ status: 'INVALID', invalidReason: 'SELF_REFERRAL' });
    expect(eventsOf(h, 'ReferralQualified', (p) => p.referralId === referral.id)).toEqual([]);
  });
});

describe('REFERRAL_RING', () => {
  it('A referred B at signup, then B refers A to a job: the second is INVALID and never qualifies', async () => {
    const a = await member(h, ['TALENT', 'CONNECTOR'], 'Ring A');
    const b = await member(h, ['TALENT', 'CONNECTOR'], 'Ring B', a.code);
    expect((await myReferrals(a)).map((r) => [r.referredUser.id, r.status])).toEqual([[b.id, 'SIGNED_UP']]);

    const job = await postJob(h, client.id);
    const ring = await refer(b, job, a.id);
    expect(ring).toMatchObject({ connector: { id: b.id }, talent: { id: a.id }, status: 'INVALID', invalidReason: 'REFERRAL_RING' });
    expect(await awaitEvent(h, 'JobReferralCreated', (p) => p.jobReferralId === ring.id)).toMatchObject({ connectorId: b.id });
    expect(await invalidation(ring.id)).toMatchObject({ referralType: 'JOB', connectorId: b.id, referredUserId: a.id, reason: 'REFERRAL_RING' });

    // The first referral is untouched, the ring one stays INVALID even when A is hired for that job.
    await hire(h, { jobId: job, talentId: a.id, clientId: client.id });
    expect(await jobReferral(b, ring.id)).toMatchObject({ status: 'INVALID', invalidReason: 'REFERRAL_RING' });
    expect(eventsOf(h, 'ReferralQualified', (p) => p.referralId === ring.id)).toEqual([]);
    expect((await myReferrals(a))[0].status).toBe('SIGNED_UP');
  });

  it('also along a longer chain back to the referrer: A -> B -> C, then C refers A', async () => {
    const a = await member(h, ['TALENT', 'CONNECTOR'], 'Chain A');
    const b = await member(h, ['TALENT', 'CONNECTOR'], 'Chain B', a.code);
    const c = await member(h, ['TALENT', 'CONNECTOR'], 'Chain C', b.code);
    const outsider = await member(h, ['CONNECTOR'], 'Outsider');
    const job = await postJob(h, client.id);

    const ring = await refer(c, job, a.id);
    expect(ring).toMatchObject({ status: 'INVALID', invalidReason: 'REFERRAL_RING' });
    expect(await invalidation(ring.id)).toMatchObject({ reason: 'REFERRAL_RING', connectorId: c.id, referredUserId: a.id });
    // Anyone outside the chain may refer A; and down the chain is no ring.
    expect((await refer(outsider, await postJob(h, client.id), a.id)).status).toBe('SIGNED_UP');
    expect((await refer(a, await postJob(h, client.id), c.id)).status).toBe('SIGNED_UP');
  });
});

describe('ALREADY_REWARDED', () => {
  it('two connectors referred the same talent to different jobs: only the first qualification pays', async () => {
    const [first, second] = await Promise.all([member(h, ['CONNECTOR'], 'First'), member(h, ['CONNECTOR'], 'Second')]);
    const talent = await registered(h, ['TALENT'], 'Popular');
    const [job1, job2] = [await postJob(h, client.id), await postJob(h, client.id)];
    const r1 = await refer(first, job1, talent.id);
    const r2 = await refer(second, job2, talent.id);

    await hire(h, { jobId: job1, talentId: talent.id, clientId: client.id });
    expect((await jobReferral(first, r1.id)).status).toBe('QUALIFIED');
    expect((await jobReferral(second, r2.id)).status).toBe('SIGNED_UP');

    await hire(h, { jobId: job2, talentId: talent.id, clientId: client.id });
    expect(await jobReferral(second, r2.id)).toMatchObject({ status: 'INVALID', invalidReason: 'ALREADY_REWARDED' });
    expect(await invalidation(r2.id)).toMatchObject({ referralType: 'JOB', connectorId: second.id, referredUserId: talent.id, reason: 'ALREADY_REWARDED' });
    expect(eventsOf(h, 'ReferralQualified', (p) => p.referredUserId === talent.id)).toEqual([
      expect.objectContaining({ referralId: r1.id, connectorId: first.id }),
    ]);
  });
});

describe('DAILY_CAP', () => {
  it(`beyond ${DAILY_CAP} qualifications on one day, a connector's referral is INVALID; the next day counts afresh`, async () => {
    const connector = await member(h, ['CONNECTOR'], 'Busy');
    const talents = await Promise.all([1, 2, 3, 4].map((i) => registered(h, ['TALENT'], `Talent ${i}`)));
    const job = await postJob(h, client.id);
    const referrals: Array<{ id: string }> = [];
    for (const talent of talents) referrals.push(await refer(connector, job, talent.id));

    const today = new Date();
    for (const talent of talents.slice(0, 3)) await hire(h, { jobId: job, talentId: talent.id, clientId: client.id, startedAt: today });
    const statuses = async () => Promise.all(referrals.map(async (r) => (await jobReferral(connector, r.id)).status));
    expect(await statuses()).toEqual(['QUALIFIED', 'QUALIFIED', 'INVALID', 'SIGNED_UP']);
    expect((await jobReferral(connector, referrals[2].id)).invalidReason).toBe('DAILY_CAP');
    expect(await invalidation(referrals[2].id)).toMatchObject({ reason: 'DAILY_CAP', connectorId: connector.id, referredUserId: talents[2].id });

    const tomorrow = new Date(today.getTime() + 86_400_000);
    await hire(h, { jobId: job, talentId: talents[3].id, clientId: client.id, startedAt: tomorrow });
    expect(await statuses()).toEqual(['QUALIFIED', 'QUALIFIED', 'INVALID', 'QUALIFIED']);
  });
});

describe('NOT_A_MEMBER', () => {
  it('a connector who is not a member when the hire happens does not qualify', async () => {
    const connector = await member(h, ['CONNECTOR'], 'Lapsed');
    const talent = await registered(h, ['TALENT'], 'Recruit');
    const job = await postJob(h, client.id);
    const referral = await refer(connector, job, talent.id);
    // No event takes membership away today (a future KycRevoked would): simulate one in the projection.
    await referralsSql(h, 'DELETE FROM members WHERE user_id = $1', [connector.id]);

    await hire(h, { jobId: job, talentId: talent.id, clientId: client.id });
    expect(await jobReferral(connector, referral.id)).toMatchObject({ status: 'INVALID', invalidReason: 'NOT_A_MEMBER' });
    expect(await invalidation(referral.id)).toMatchObject({ referralType: 'JOB', reason: 'NOT_A_MEMBER', connectorId: connector.id });
    expect(eventsOf(h, 'ReferralQualified', (p) => p.referredUserId === talent.id)).toEqual([]);
    // And without membership, no new referrals either.
    const res = await connector.api.request(REFER, { jobId: job, talentId: (await registered(h, ['TALENT'])).id, note: null });
    expect(errorCode(res)).toBe('PRECONDITION_FAILED');
  });
});

describe('every rule', () => {
  it('refused referrals never pay: a RewardGranted naming one changes nothing (the rules above left some)', async () => {
    const refused = await referralsSql<{ id: string; connector_id: string; invalid_reason: string }>(
      h,
      `SELECT id, connector_id, invalid_reason FROM job_referrals WHERE status = 'INVALID' ORDER BY created_at`,
    );
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const r of refused) await grantReward(h, { referralId: r.id, connectorId: r.connector_id, amount: '100' });
    const after = await referralsSql(h, `SELECT id, status, invalid_reason, reward_amount FROM job_referrals WHERE id = ANY ($1::uuid[]) ORDER BY created_at`, [
      refused.map((r) => r.id),
    ]);
    expect(after).toEqual(refused.map((r) => ({ id: r.id, status: 'INVALID', invalid_reason: r.invalid_reason, reward_amount: null })));
  });
});
