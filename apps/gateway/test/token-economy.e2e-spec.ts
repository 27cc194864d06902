import { Kafka, logLevel } from 'kafkajs';
import {
  createInspector,
  errorCode,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  uniquePrefix,
  waitFor,
  type Persona,
  type Stack,
  approveAndSettle,
} from '@talent/testing';

/*
 * The token economy end to end, through the gateway, on the real stack (identity, jobs,
 * referrals, rewards and payments as processes): supply, the inspector paid for screening, signup
 * and job referrals leading to a connector reward on paid invoices, stakes locked / refused / slashed /
 * released, a 5-star reward, withdrawals; then every event of the run delivered again,
 * and every balance unchanged.
 */
const WALLET = `{ me { id wallet { balance locked available entries(first: 50) { edges { node { kind amount reason reference } } } } } }`;
const SUPPLY = `{ tokenSupply { cap allocations { bucket amount } communityPoolRemaining treasuryBalance distributedRewards } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($job: ID!, $stake: Decimal) { applyToJob(jobId: $job, coverLetter: "Ready to start", proposedRate: { amount: "80", currency: "USD" }, stake: $stake) { id status } }`;
const APPLICATION_STATUS = `{ myApplications { id status stake } }`;
const ADDRESS = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';

interface Wallet {
  balance: string;
  locked: string;
  available: string;
  entries: { edges: Array<{ node: { kind: string; amount: string; reason: string; reference: string } }> };
}

const jobInput = (title: string) => ({
  title,
  description: 'Build and run a payments API with NestJS and PostgreSQL.',
  skills: ['typescript', 'postgresql'],
  minYearsExperience: 2,
  countries: [],
  budget: { min: { amount: '60', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 30,
  durationWeeks: 12,
});

/** Retries while another service has not yet learnt what this call needs (e.g. membership). */
const eventually = <T>(call: () => Promise<{ data?: T | null; errors?: unknown[] }>, message: string) =>
  waitFor(
    async () => {
      const res = await call();
      if (res.errors?.length) throw new Error(JSON.stringify(res.errors));
      return res.data;
    },
    30_000,
    { message },
  );

describe('token economy: rewards, referrals, stakes and withdrawals', () => {
  let stack: Stack;
  let admin: Persona;
  let inspector: Persona;
  let connector: Persona;
  let jobConnector: Persona;
  let talent: Persona;
  let client: Persona;
  let referralCode: string;
  let mainJob: string;
  let contractId: string;

  const wallet = async (p: Persona): Promise<Wallet> => (await p.api.data<{ me: { wallet: Wallet } }>(WALLET)).me.wallet;
  const balanceOf = async (p: Persona) => (await wallet(p)).balance;
  const waitBalance = (p: Persona, expected: string, message: string) =>
    waitFor(
      async () => {
        const w = await wallet(p);
        return Number(w.balance) === Number(expected) ? w : undefined;
      },
      30_000,
      { message },
    );

  beforeAll(async () => {
    stack = await startStack({ services: ['jobs', 'referrals', 'rewards', 'payments'] });
    admin = await signInAdmin(stack);
    inspector = await createInspector(stack, admin);
    await makeMember(stack, inspector, admin);
    connector = await registerPersona(stack, ['CONNECTOR'], 'Hana Connector');
    jobConnector = await registerPersona(stack, ['CONNECTOR'], 'Bruno Connector');
    client = await registerPersona(stack, ['CLIENT'], 'Greta Client');
    for (const p of [connector, jobConnector, client]) await makeMember(stack, p, inspector);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('the supply is capped at 250M with the four allocations; pool remaining + distributed = 135M', async () => {
    const { tokenSupply } = await stack.api.data(SUPPLY);
    expect(tokenSupply.cap).toBe('250000000');
    expect(tokenSupply.allocations.map((a: { amount: string }) => Number(a.amount)).sort((a: number, b: number) => b - a)).toEqual([
      135_000_000, 55_000_000, 47_500_000, 12_500_000,
    ]);
    expect(Number(tokenSupply.communityPoolRemaining) + Number(tokenSupply.distributedRewards)).toBe(135_000_000);
  });

  it('a member gets a referral code; a signup with it is attributed to the connector', async () => {
    referralCode = await waitFor(
      async () => (await connector.api.data<{ me: { referralCode: string | null } }>(`{ me { referralCode } }`)).me.referralCode,
      30_000,
      { message: 'referral code issued on KYC approval' },
    );
    // Visible to its owner only.
    const seen = await jobConnector.api.data<{ user: { referralCode: string | null } }>(`query ($id: ID!) { user(id: $id) { referralCode } }`, {
      id: connector.id,
    });
    expect(seen.user.referralCode).toBeNull();
    talent = await registerPersona(stack, ['TALENT'], 'Ada Talent', referralCode);
    const referrals = await waitFor(
      async () => {
        const { myReferrals } = await connector.api.data<{ myReferrals: Array<{ kind: string; status: string; referredUser: { id: string } }> }>(
          `{ myReferrals { kind status referredUser { id } } }`,
        );
        return myReferrals.length ? myReferrals : undefined;
      },
      30_000,
      { message: 'signup attributed' },
    );
    expect(referrals).toEqual([{ kind: 'TALENT', status: 'SIGNED_UP', referredUser: { id: talent.id } }]);
    await makeMember(stack, talent, inspector);
  });

  it('the inspector is paid the talent.screened reward for screening', async () => {
    const { rewardPolicies } = await stack.api.data<{ rewardPolicies: Array<{ key: string; amount: string | null; rate: string | null }> }>(
      `{ rewardPolicies { key amount rate } }`,
    );
    const screened = rewardPolicies.find((p) => p.key === 'talent.screened')!;
    expect(screened.amount).not.toBeNull();
    // rewards pays members only: wait until it has seen the talent's and the inspector's approvals.
    await waitFor(async () => (await stack.services.rewards.sql('SELECT count(*)::int AS n FROM members')).at(0)?.n >= 5, 30_000, {
      message: 'rewards knows the members',
    });
    await screenApproved(inspector, talent);
    const w = await waitBalance(inspector, screened.amount!, 'inspector rewarded');
    expect(w.entries.edges.map((e) => e.node)).toContainEqual(
      expect.objectContaining({ kind: 'REWARD', reason: 'talent.screened', amount: expect.stringMatching(/^25(\.0+)?$/) }),
    );
  });

  it('a stake without the funds is refused; with them it is locked, slashed on a no-show, released otherwise', async () => {
    mainJob = (await eventually(() => client.api.request<{ postJob: { id: string } }>(POST_JOB, { input: jobInput('Payments API') }), 'client member in jobs'))!
      .postJob.id;
    const slashJob = (await client.api.data<{ postJob: { id: string } }>(POST_JOB, { input: jobInput('Ledger service') })).postJob.id;
    const releaseJob = (await client.api.data<{ postJob: { id: string } }>(POST_JOB, { input: jobInput('Webhooks relay') })).postJob.id;

    // The talent holds nothing yet: the stake is refused and the application REJECTED.
    const refused = (await eventually(
      () => talent.api.request<{ applyToJob: { id: string; status: string } }>(APPLY, { job: slashJob, stake: '5' }),
      'talent member in jobs',
    ))!.applyToJob;
    expect(refused.status).toBe('PENDING_STAKE');
    await waitFor(
      async () =>
        (await talent.api.data<{ myApplications: Array<{ id: string; status: string }> }>(APPLICATION_STATUS)).myApplications.find((a) => a.id === refused.id)
          ?.status === 'REJECTED',
      30_000,
      { message: 'stake refused' },
    );

    // The inspector holds 25: stakes 10 on one job (no-show: slashed) and 5 on another (closed: released).
    const slashed = (await inspector.api.data<{ applyToJob: { id: string } }>(APPLY, { job: slashJob, stake: '10' })).applyToJob;
    const released = (await inspector.api.data<{ applyToJob: { id: string } }>(APPLY, { job: releaseJob, stake: '5' })).applyToJob;
    await waitFor(
      async () => {
        const apps = (await inspector.api.data<{ myApplications: Array<{ id: string; status: string }> }>(APPLICATION_STATUS)).myApplications;
        return apps.filter((a) => [slashed.id, released.id].includes(a.id)).every((a) => a.status === 'SUBMITTED');
      },
      30_000,
      { message: 'stakes locked' },
    );
    const locked = await wallet(inspector);
    expect([Number(locked.balance), Number(locked.locked), Number(locked.available)]).toEqual([25, 15, 10]);

    const treasuryBefore = Number((await stack.api.data(SUPPLY)).tokenSupply.treasuryBalance);
    await client.api.data(`mutation ($id: ID!) { recordInterview(applicationId: $id, outcome: NO_SHOW) { status } }`, { id: slashed.id });
    await client.api.data(`mutation ($id: ID!) { closeJob(id: $id) { status } }`, { id: releaseJob });
    const after = await waitBalance(inspector, '15', 'stake slashed');
    await waitFor(async () => Number((await wallet(inspector)).locked) === 0, 30_000, { message: 'stake released' });
    expect(Number(after.balance)).toBe(15);
    expect(Number((await wallet(inspector)).available)).toBe(15);
    expect(Number((await stack.api.data(SUPPLY)).tokenSupply.treasuryBalance)).toBe(treasuryBefore + 10);
  });

  it('a job referral leads to a hire: QUALIFIED pays nothing; each paid invoice pays the connector rate x its subtotal, and the referral shows REWARDED with the total', async () => {
    const REFER = `mutation ($job: ID!, $talent: ID!) { referTalentToJob(jobId: $job, talentId: $talent, note: "Built two payment APIs") { id status } }`;
    const referral = (await eventually(
      () => jobConnector.api.request<{ referTalentToJob: { id: string; status: string } }>(REFER, { job: mainJob, talent: talent.id }),
      'referrals knows the job',
    ))!.referTalentToJob;
    expect(referral.status).toBe('SIGNED_UP');
    expect(errorCode(await jobConnector.api.request(REFER, { job: mainJob, talent: talent.id }))).toBe('CONFLICT');

    const application = (await talent.api.data<{ applyToJob: { id: string } }>(APPLY, { job: mainJob, stake: null })).applyToJob;
    const { hire } = await client.api.data<{ hire: { id: string; estimatedValue: { amount: string } } }>(
      `mutation ($id: ID!) { hire(applicationId: $id) { id estimatedValue { amount } } }`,
      { id: application.id },
    );
    contractId = hire.id;
    expect(hire.estimatedValue.amount).toBe('28800.00');
    const referralStatus = () =>
      waitFor(
        async () => {
          const { job } = await client.api.data<{ job: { referrals: Array<{ id: string; status: string; connector: { id: string } }> } }>(
            `query ($id: ID!) { job(id: $id) { referrals { id status connector { id } } } }`,
            { id: mainJob },
          );
          return job.referrals.find((r) => r.id === referral.id && r.status !== 'SIGNED_UP');
        },
        30_000,
        { message: 'referral qualified' },
      );
    expect((await referralStatus()).status).toBe('QUALIFIED');
    // The hire declared 28,800 USD: nothing is paid on a declaration.
    await waitFor(async () => (await stack.services.rewards.sql('SELECT 1 FROM referral_sources WHERE referral_id = $1', [referral.id])).length > 0, 30_000, {
      message: 'rewards saw the qualification',
    });
    expect(Number(await balanceOf(jobConnector))).toBe(0);

    // The talent invoices 10 hours (800 USD); the client pays: the connector earns 0.05 x 800.
    const { submitInvoice } = (await eventually(
      () =>
        talent.api.request<{ submitInvoice: { id: string } }>(
          `mutation ($c: ID!) { submitInvoice(input: { contractId: $c, description: "Week 1", hours: 10 }) { id } }`,
          { c: contractId },
        ),
      'payments knows the contract',
    ))!;
    expect(await approveAndSettle(client.api, submitInvoice.id, 'week-1-payment')).toBe('PAID');
    const { rewardPolicies } = await stack.api.data<{ rewardPolicies: Array<{ key: string; rate: string | null }> }>(`{ rewardPolicies { key rate } }`);
    const rate = Number(rewardPolicies.find((p) => p.key === 'connector.referral')!.rate);
    await waitBalance(jobConnector, String(rate * 800), 'connector paid on the paid invoice');
    const rewarded = await waitFor(
      async () => {
        const { job } = await client.api.data<{
          job: { referrals: Array<{ id: string; status: string; rewardAmount: string | null; connector: { id: string } }> };
        }>(`query ($id: ID!) { job(id: $id) { referrals { id status rewardAmount connector { id } } } }`, { id: mainJob });
        return job.referrals.find((r) => r.id === referral.id && r.status === 'REWARDED');
      },
      30_000,
      { message: 'referral REWARDED' },
    );
    expect(rewarded.connector.id).toBe(jobConnector.id);
    expect(Number(rewarded.rewardAmount)).toBe(rate * 800);
    // One connector is paid per contract: the signup referral of the same talent is not.
    expect(Number(await balanceOf(connector))).toBe(0);
  });

  it('a 5-star rating pays the rated talent; withdrawals: above the balance refused, within it sent', async () => {
    await client.api.data(`mutation ($id: ID!) { completeContract(contractId: $id) { status } }`, { id: contractId });
    await client.api.data(`mutation ($id: ID!) { rateContract(contractId: $id, stars: 5) { stars } }`, { id: contractId });
    const { rewardPolicies } = await stack.api.data<{ rewardPolicies: Array<{ key: string; amount: string | null }> }>(`{ rewardPolicies { key amount } }`);
    const fiveStar = rewardPolicies.find((p) => p.key === 'rating.five_star')!.amount!;
    await waitBalance(talent, fiveStar, 'five-star reward');

    const WITHDRAW = `mutation ($amount: Decimal!, $to: String!) { requestWithdrawal(amount: $amount, toAddress: $to) { id status amount } }`;
    expect(errorCode(await talent.api.request(WITHDRAW, { amount: '1000', to: ADDRESS }))).toBe('INSUFFICIENT_FUNDS');
    expect(errorCode(await talent.api.request(WITHDRAW, { amount: '1', to: ADDRESS.toLowerCase().replace('0x5a', '0x5A') }))).toBe('BAD_USER_INPUT');
    const { requestWithdrawal } = await talent.api.data<{ requestWithdrawal: { id: string; status: string } }>(WITHDRAW, { amount: '4', to: ADDRESS });
    expect(requestWithdrawal.status).toBe('REQUESTED');
    const sent = await waitFor(
      async () => {
        const { myWithdrawals } = await talent.api.data<{ myWithdrawals: Array<{ id: string; status: string; txHash: string | null }> }>(
          `{ myWithdrawals { id status txHash } }`,
        );
        return myWithdrawals.find((w) => w.id === requestWithdrawal.id && w.status === 'SENT');
      },
      30_000,
      { message: 'withdrawal sent' },
    );
    expect(sent.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(Number(await balanceOf(talent))).toBe(Number(fiveStar) - 4);
  });

  it('delivering every event of the run again changes no balance, no supply figure and no referral', async () => {
    const snapshot = async () => ({
      wallets: await Promise.all(
        [inspector, connector, jobConnector, talent, client].map((p) => wallet(p).then((w) => [w.balance, w.locked, w.entries.edges.length])),
      ),
      supply: (await stack.api.data(SUPPLY)).tokenSupply,
      referrals: (await connector.api.data(`{ myReferrals { status rewardAmount } }`)).myReferrals,
      applications: (await inspector.api.data(APPLICATION_STATUS)).myApplications,
    });
    const before = await snapshot();

    // Read every event of the run back from the topics and produce it again (same ids).
    const kafka = new Kafka({ clientId: 'replayer', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    const topics = ['identity.events.v1', 'jobs.events.v1', 'referrals.events.v1', 'rewards.events.v1', 'payments.events.v1'].map((t) => stack.topic(t));
    const reader = kafka.consumer({ groupId: uniquePrefix('replay-reader'), maxWaitTimeInMs: 100 });
    const messages: Array<{ topic: string; key: Buffer | null; value: Buffer | null }> = [];
    await reader.connect();
    await reader.subscribe({ topics, fromBeginning: true });
    await reader.run({ eachMessage: async ({ topic, message }) => void messages.push({ topic, key: message.key, value: message.value }) });
    const total = async () => {
      const admin = kafka.admin();
      await admin.connect();
      let n = 0;
      for (const t of topics) for (const p of await admin.fetchTopicOffsets(t)) n += Number(p.high) - Number(p.low);
      await admin.disconnect();
      return n;
    };
    const expected = await total();
    await waitFor(() => messages.length >= expected, 30_000, { message: `read back ${expected} events` });
    await reader.disconnect();
    expect(expected).toBeGreaterThan(30);

    const producer = kafka.producer();
    await producer.connect();
    for (const topic of topics) {
      await producer.send({ topic, messages: messages.filter((m) => m.topic === topic).map((m) => ({ key: m.key, value: m.value })) });
    }
    await producer.disconnect();

    // Every consumer has seen the replay once its inbox holds as many ids as before and its group has no lag.
    await waitFor(
      async () => {
        const admin = kafka.admin();
        await admin.connect();
        try {
          const groups = ['jobs', 'referrals', 'rewards', 'payments'].map((name) => stack.services[name].groupId);
          for (const groupId of groups) {
            for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics })) {
              const high = await admin.fetchTopicOffsets(topic);
              for (const p of partitions) {
                const end = high.find((h) => h.partition === p.partition)!.high;
                if (Number(p.offset) >= 0 && Number(p.offset) < Number(end)) return false;
              }
            }
          }
          return true;
        } finally {
          await admin.disconnect();
        }
      },
      60_000,
      { message: 'consumers caught up with the replay' },
    );

    expect(await snapshot()).toEqual(before);
  });
});
