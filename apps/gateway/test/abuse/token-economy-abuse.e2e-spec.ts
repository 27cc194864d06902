import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { createEvent, InvoicePaid, ReferralQualified, type EventEnvelope } from '@talent/events';
import {
  createInspector,
  errorCode,
  makeMember,
  registerPersona,
  signInAdmin,
  startStack,
  waitFor,
  waitForConsumerCaughtUp,
  type Persona,
  type Stack,
  approveAndSettle,
} from '@talent/testing';

/*
 * The abuse suite of the token economy: each attack that two or three colluding accounts
 * tried (or could try) against the community pool, run end to end through the gateway on the
 * real stack (identity, jobs, referrals, rewards and payments as processes, the broker, Redis,
 * PostgreSQL). Each test asserts what a user would check: the attackers' wallets did not move,
 * the distributed total grew by exactly what legitimate work earned, and the books still
 * balance (pool remaining + distributed = 135M).
 */
const WALLET = `{ me { wallet { balance rewards(first: 50) { policy reference status amount refusalReason } } } }`;
const SUPPLY = `{ tokenSupply { communityPoolRemaining distributedRewards } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($job: ID!, $rate: MoneyInput!) { applyToJob(jobId: $job, coverLetter: "I can do it", proposedRate: $rate) { id status proposedRate { amount } } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id rate { amount } estimatedValue { amount } } }`;
const COMPLETE = `mutation ($id: ID!) { completeContract(contractId: $id) { status } }`;
const RATE = `mutation ($id: ID!) { rateContract(contractId: $id, stars: 5, comment: "perfect") { stars } }`;
const SCREEN = `mutation ($id: ID!, $d: ReviewDecision!) { screenTalent(userId: $id, decision: $d) { id } }`;
const REFER = `mutation ($job: ID!, $talent: ID!) { referTalentToJob(jobId: $job, talentId: $talent) { id status } }`;
const SUBMIT_INVOICE = `mutation ($input: SubmitInvoiceInput!) { submitInvoice(input: $input) { id } }`;

interface Reward {
  policy: string;
  reference: string;
  status: string;
  amount: string | null;
  refusalReason: string | null;
}

const jobInput = (title: string, budget: { min: string; max: string; unit: 'HOURLY' | 'FIXED' }) => ({
  title,
  description: 'A job posted by a colluding client.',
  skills: ['typescript'],
  minYearsExperience: 0,
  countries: [],
  budget: { min: { amount: budget.min, currency: 'USD' }, max: { amount: budget.max, currency: 'USD' }, unit: budget.unit },
  hoursPerWeek: 10,
  durationWeeks: 4,
});
const usd = (amount: string) => ({ amount, currency: 'USD' });

describe('abuse suite: colluding accounts cannot farm the community pool', () => {
  let stack: Stack;
  let admin: Persona;
  let inspector: Persona;

  /** Retries a call while another service has not yet learnt what it needs (membership, a job, a contract). */
  const eventually = <T>(call: () => Promise<{ data?: T | null; errors?: unknown[] }>, message: string): Promise<T> =>
    waitFor(
      async () => {
        const res = await call();
        if (res.errors?.length) {
          if (['NOT_FOUND', 'PRECONDITION_FAILED'].includes(errorCode(res as never) ?? '')) return undefined;
          throw new Error(JSON.stringify(res.errors));
        }
        return res.data ?? undefined;
      },
      30_000,
      { message },
    ) as Promise<T>;
  const wallet = async (p: Persona) => (await p.api.data<{ me: { wallet: { balance: string; rewards: Reward[] } } }>(WALLET)).me.wallet;
  const supply = async () => (await stack.api.data<{ tokenSupply: { communityPoolRemaining: string; distributedRewards: string } }>(SUPPLY)).tokenSupply;
  /** Until jobs and rewards both know these users as members (each learns it from identity's KycApproved). */
  const knownAsMembers = (people: Persona[]) =>
    waitFor(
      async () => {
        for (const service of ['jobs', 'rewards']) {
          const [{ n }] = await stack.services[service].sql('SELECT count(*)::int AS n FROM members WHERE user_id = ANY($1::uuid[])', [
            people.map((p) => p.id),
          ]);
          if (n !== people.length) return false;
        }
        return true;
      },
      30_000,
      { message: 'jobs and rewards know the members' },
    );
  const members = async (roles: string[][]): Promise<Persona[]> => {
    const people = await Promise.all(roles.map((r, i) => registerPersona(stack, r, `Colluder ${i}`)));
    for (const p of people) await makeMember(stack, p, inspector);
    await knownAsMembers(people);
    return people;
  };
  /** The books balance, and the attack moved nothing: every wallet as before, the distributed total as before. */
  const expectNothingMoved = async (people: Persona[], before: { balances: string[]; distributed: string }) => {
    expect(await Promise.all(people.map(async (p) => (await wallet(p)).balance))).toEqual(before.balances);
    const after = await supply();
    expect(after.distributedRewards).toBe(before.distributed);
    expect(Number(after.communityPoolRemaining) + Number(after.distributedRewards)).toBe(135_000_000);
  };
  const snapshot = async (people: Persona[]) => ({
    balances: await Promise.all(people.map(async (p) => (await wallet(p)).balance)),
    distributed: (await supply()).distributedRewards,
  });
  /** Waits until rewards has consumed every event on the topics it reads (so "nothing moved" is not just "not yet"). */
  const rewardsCaughtUp = () =>
    waitForConsumerCaughtUp(
      stack.services.rewards.groupId,
      ['identity.events.v1', 'jobs.events.v1', 'referrals.events.v1', 'payments.events.v1'].map((t) => stack.topic(t)),
    );
  /** Hires `talent` on `job` at `rate` (as `client`), waiting for jobs to know both as members. */
  const applyAndHire = async (talent: Persona, client: Persona, job: string, rate: string) => {
    const { applyToJob } = await eventually(() => talent.api.request<{ applyToJob: { id: string } }>(APPLY, { job, rate: usd(rate) }), 'talent can apply');
    return (await client.api.data<{ hire: { id: string; rate: { amount: string }; estimatedValue: { amount: string } } }>(HIRE, { id: applyToJob.id })).hire;
  };
  const postJob = (client: Persona, title: string, budget: { min: string; max: string; unit: 'HOURLY' | 'FIXED' }) =>
    eventually(() => client.api.request<{ postJob: { id: string } }>(POST_JOB, { input: jobInput(title, budget) }), 'client can post').then(
      (d) => d.postJob.id,
    );

  beforeAll(async () => {
    stack = await startStack({ services: ['jobs', 'referrals', 'rewards', 'payments'] });
    admin = await signInAdmin(stack);
    inspector = await createInspector(stack, admin);
    await makeMember(stack, inspector, admin);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it("a rate far outside the job's budget is refused, and a hire nobody paid for pays the connector nothing", async () => {
    const [connector, client] = await members([['CONNECTOR'], ['CLIENT']]);
    const code = await waitFor(
      async () => (await connector.api.data<{ me: { referralCode: string | null } }>(`{ me { referralCode } }`)).me.referralCode ?? undefined,
      30_000,
      {
        message: 'referral code',
      },
    );
    const talent = await registerPersona(stack, ['TALENT'], 'Referred colluder', code);
    await makeMember(stack, talent, inspector);
    await knownAsMembers([talent]);
    const before = await snapshot([connector, client, talent]);

    const job = await postJob(client, 'Hourly job, 50-100 USD/h', { min: '50', max: '100', unit: 'HOURLY' });
    expect(errorCode(await talent.api.request(APPLY, { job, rate: usd('5000000') }))).toBe('BAD_USER_INPUT');
    expect((await talent.api.data<{ myApplications: unknown[] }>(`{ myApplications { id } }`)).myApplications).toEqual([]);
    // Within the budget, the colluding client hires; the signup referral qualifies, and nothing is ever paid.
    const contract = await applyAndHire(talent, client, job, '100');
    expect(contract.rate.amount).toBe('100.00');
    await waitFor(
      async () => (await connector.api.data<{ myReferrals: Array<{ status: string }> }>(`{ myReferrals { status } }`)).myReferrals[0]?.status === 'QUALIFIED',
      30_000,
      {
        message: 'referral qualified',
      },
    );
    await rewardsCaughtUp();
    await expectNothingMoved([connector, client, talent], before);
  });

  it('a fixed-price proposal above the budget is refused as well', async () => {
    const [talent, client] = await members([['TALENT'], ['CLIENT']]);
    const job = await postJob(client, 'Fixed job, 100-200 USD', { min: '100', max: '200', unit: 'FIXED' });
    expect(errorCode(await talent.api.request(APPLY, { job, rate: usd('1000000') }))).toBe('BAD_USER_INPUT');
    expect(errorCode(await talent.api.request(APPLY, { job, rate: usd('99.99') }))).toBe('BAD_USER_INPUT');
  });

  it('screening one talent three times pays the inspector once', async () => {
    const [talent] = await members([['TALENT']]);
    const inspectorBefore = (await wallet(inspector)).balance;
    const distributedBefore = (await supply()).distributedRewards;
    for (let i = 0; i < 3; i++) await inspector.api.data(SCREEN, { id: talent.id, d: 'REJECT' });
    await waitFor(async () => (await wallet(inspector)).rewards.filter((r) => r.reference === talent.id).length >= 1, 30_000, { message: 'screening reward' });
    await rewardsCaughtUp();
    const w = await wallet(inspector);
    expect(Number(w.balance) - Number(inspectorBefore)).toBe(25);
    expect(w.rewards.filter((r) => r.reference === talent.id)).toEqual([expect.objectContaining({ policy: 'talent.screened', status: 'PAID', amount: '25' })]);
    const after = await supply();
    expect(Number(after.distributedRewards) - Number(distributedBefore)).toBe(25);
    expect(Number(after.communityPoolRemaining) + Number(after.distributedRewards)).toBe(135_000_000);
    // A second inspector screening the same talent is recorded, refused, and sees why.
    const second = await createInspector(stack, admin);
    await makeMember(stack, second, inspector);
    await knownAsMembers([second]);
    await second.api.data(SCREEN, { id: talent.id, d: 'APPROVE' });
    const refusal = await waitFor(async () => (await wallet(second)).rewards.find((r) => r.reference === talent.id), 30_000, { message: 'refusal recorded' });
    expect(refusal).toMatchObject({ status: 'REFUSED', refusalReason: 'ALREADY_REWARDED', amount: null });
    expect((await wallet(second)).balance).toBe('0');
  });

  it('mutual 5-star ratings on a trivial contract pay nothing: without invoices, and with a paid invoice below the minimum', async () => {
    const [talent, client] = await members([['TALENT'], ['CLIENT']]);
    const before = await snapshot([talent, client]);
    for (const paidAmount of [null, '1.00']) {
      const job = await postJob(client, `Trivial fixed job ${paidAmount ?? 'unpaid'}`, { min: '1', max: '1', unit: 'FIXED' });
      const contract = await applyAndHire(talent, client, job, '1');
      if (paidAmount) {
        const { submitInvoice } = await eventually(
          () =>
            talent.api.request<{ submitInvoice: { id: string } }>(SUBMIT_INVOICE, {
              input: { contractId: contract.id, description: 'all of it', amount: usd(paidAmount) },
            }),
          'payments knows the contract',
        );
        expect(await approveAndSettle(client.api, submitInvoice.id, `pay-${randomBytes(6).toString('hex')}`)).toBe('PAID');
      }
      await client.api.data(COMPLETE, { id: contract.id });
      await client.api.data(RATE, { id: contract.id });
      await talent.api.data(RATE, { id: contract.id });
    }
    await rewardsCaughtUp();
    await expectNothingMoved([talent, client], before);
  });

  it('two accounts with one passport: the second is never approved, and cannot earn', async () => {
    const [first, second] = await Promise.all([registerPersona(stack, ['TALENT'], 'Original'), registerPersona(stack, ['TALENT'], 'Duplicate')]);
    const passport = `P${randomBytes(5).toString('hex').toUpperCase()}`;
    const submit = async (p: Persona, number: string) =>
      (
        await p.api.data<{ submitKyc: { id: string } }>(`mutation ($input: SubmitKycInput!) { submitKyc(input: $input) { id } }`, {
          input: { legalName: 'Same Person', country: 'DE', dateOfBirth: '1990-01-01', documentType: 'PASSPORT', documentNumber: number },
        })
      ).submitKyc.id;
    const REVIEW = `mutation ($id: ID!) { reviewKyc(caseId: $id, decision: APPROVE) { status } }`;
    await inspector.api.data(REVIEW, { id: await submit(first, passport) });
    const refused = await inspector.api.request(REVIEW, { id: await submit(second, passport.toLowerCase().replace(/^(.{3})/, '$1 ')) });
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/already belongs to another member/);
    expect((await second.api.data<{ me: { isMember: boolean; kycStatus: string } }>(`{ me { isMember kycStatus } }`)).me).toEqual({
      isMember: false,
      kycStatus: 'PENDING',
    });
    // Work done by the duplicate earns nothing: rewards never hears of it as a member.
    const before = await snapshot([second]);
    await inspector.api.data(SCREEN, { id: second.id, d: 'APPROVE' }).catch(() => undefined);
    await rewardsCaughtUp();
    await expectNothingMoved([second], before);
    expect(await stack.services.rewards.sql('SELECT 1 FROM members WHERE user_id = $1', [second.id])).toEqual([]);
  });

  it('a job referral made after the talent applied is refused, and the paid hire pays its connector nothing', async () => {
    const [connector, talent, client] = await members([['CONNECTOR'], ['TALENT'], ['CLIENT']]);
    const before = await snapshot([connector, talent, client]);
    const job = await postJob(client, 'Referral comes too late', { min: '50', max: '100', unit: 'HOURLY' });
    const { applyToJob } = await eventually(() => talent.api.request<{ applyToJob: { id: string } }>(APPLY, { job, rate: usd('80') }), 'talent can apply');
    // Referrals learns of the application through jobs' event: the referral is refused up front. (A referral
    // that slips in before that event arrives is refused at the hire instead: REFERRED_AFTER_APPLICATION,
    // covered by apps/referrals/test.)
    await waitFor(async () => (await stack.services.referrals.sql('SELECT 1 FROM applications WHERE job_id = $1', [job])).length > 0, 30_000, {
      message: 'referrals saw the application',
    });
    const late = await waitFor(
      async () => {
        const res = await connector.api.request(REFER, { job, talent: talent.id });
        return errorCode(res) === 'NOT_FOUND' ? undefined : res;
      },
      30_000,
      { message: 'referrals knows the job' },
    );
    expect(errorCode(late)).toBe('PRECONDITION_FAILED');
    const { hire } = await client.api.data<{ hire: { id: string } }>(HIRE, { id: applyToJob.id });
    const { submitInvoice } = await eventually(
      () => talent.api.request<{ submitInvoice: { id: string } }>(SUBMIT_INVOICE, { input: { contractId: hire.id, description: 'week 1', hours: 10 } }),
      'payments knows the contract',
    );
    // Paid for real (confirmed by the provider), so InvoicePaid reaches rewards before it is checked.
    expect(await approveAndSettle(client.api, submitInvoice.id, `pay-${randomBytes(6).toString('hex')}`)).toBe('PAID');
    await rewardsCaughtUp();
    await expectNothingMoved([connector, talent, client], before);
  });

  describe('forged events', () => {
    let producer: Producer;
    beforeAll(async () => {
      producer = new Kafka({ clientId: 'forger', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING }).producer();
      await producer.connect();
    });
    afterAll(async () => {
      await producer?.disconnect();
    });
    const send = (topic: string, envelope: EventEnvelope) =>
      producer.send({ topic: stack.topic(topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });

    it("a ReferralQualified written to jobs' topic, and an InvoicePaid claiming to come from another service, are dead-lettered: nothing moves", async () => {
      const [connector] = await members([['CONNECTOR']]);
      const before = await snapshot([connector]);
      const contractId = randomUUID();
      const qualified = createEvent(ReferralQualified, {
        referralId: randomUUID(),
        referralType: 'JOB',
        kind: 'TALENT',
        connectorId: connector.id,
        referredUserId: randomUUID(),
        contractId,
        contractValue: usd('1000000.00'),
        qualifiedAt: new Date().toISOString(),
      });
      const paid = createEvent(InvoicePaid, {
        invoiceId: randomUUID(),
        contractId,
        talentId: randomUUID(),
        clientId: randomUUID(),
        subtotal: usd('100000.00'),
        platformFee: usd('0.00'),
        feeRate: '0.10',
        total: usd('100000.00'),
        subtotalUsd: usd('100000.00'),
        usdRate: '1',
        providerReference: 'forged',
        paidAt: new Date().toISOString(),
      });
      // Any process that can write to jobs' topic (jobs itself, compromised) forges a qualification ...
      await send('jobs.events.v1', qualified);
      // ... and a payment that names payments' topic but says it comes from jobs.
      await send('payments.events.v1', { ...paid, source: 'jobs' });
      const output = () => stack.services.rewards.process.output();
      await waitFor(
        () => /ReferralQualified is published on .*referrals\.events\.v1 only/.test(output()) && /InvoicePaid must come from payments/.test(output()),
        30_000,
        {
          message: 'rewards dead-letters both forgeries',
        },
      );
      await rewardsCaughtUp();
      expect(
        await stack.services.rewards.sql('SELECT 1 FROM referral_sources WHERE contract_id = $1 UNION ALL SELECT 1 FROM paid_invoices WHERE contract_id = $1', [
          contractId,
        ]),
      ).toEqual([]);
      await expectNothingMoved([connector], before);
    });
  });
});
