import {
  approveAndSettle,
  createInspector,
  makeMember,
  registerPersona,
  screenApproved,
  signInAdmin,
  startStack,
  waitFor,
  type Persona,
  type Stack,
} from '@talent/testing';
import { toUnits } from '@talent/platform';

/*
 * Governance acting on the rest of the network, through the gateway on the real stack
 * (identity, jobs, payments, rewards, governance as processes, Kafka between them): members'
 * voting power is BTRST they earned; a PARAMETER_CHANGE executed after its timelock changes
 * the fee of the NEXT invoice; a GRANT is paid from the treasury, which the fees bought.
 */
jest.setTimeout(240_000);

const CREATE = `mutation ($input: CreateProposalInput!) { createProposal(input: $input) { id status } }`;
const PROPOSAL = `query ($id: ID!) { proposal(id: $id) { id status forVotes quorum endsAt executableAt } }`;
const VOTE = `mutation ($id: ID!) { castVote(proposalId: $id, support: FOR) { weight } }`;
const EXECUTE = `mutation ($id: ID!) { executeProposal(proposalId: $id) { id status } }`;
const POWER = `query ($id: ID!) { user(id: $id) { votingPower } }`;
const DELEGATE = `mutation ($to: ID!) { delegateVotes(toUserId: $to) { id } }`;
const WALLET = `{ me { wallet { balance } } }`;
const SUPPLY = `{ tokenSupply { treasuryBalance } }`;
const SUBMIT = `mutation ($c: ID!, $h: Float!) { submitInvoice(input: { contractId: $c, description: "Governed week", hours: $h }) { id feeRate platformFee { amount } total { amount } } }`;

describe('governance changes the network', () => {
  let stack: Stack;
  let alice: Persona;
  let bob: Persona;
  let carol: Persona;
  let client: Persona;
  let talent: Persona;
  let contract: string;

  beforeAll(async () => {
    stack = await startStack({
      services: ['jobs', 'payments', 'rewards', 'governance'],
      env: {
        governance: {
          GOVERNANCE_VOTING_DELAY_SECONDS: '1',
          GOVERNANCE_VOTING_PERIOD_SECONDS: '4',
          GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: '3',
          GOVERNANCE_TIMELOCK_SECONDS: '2',
          GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS: '3',
          GOVERNANCE_GRACE_PERIOD_SECONDS: '600',
          GOVERNANCE_QUORUM_FRACTION: '0.3',
          GOVERNANCE_PROPOSAL_THRESHOLD: '20',
        },
        payments: { FEE_CONVERSION_INTERVAL_MS: '1000', BTRST_PRICE_USDC: '0.25' },
      },
    });
    const admin = await signInAdmin(stack);
    // Three inspectors earn 25 BTRST each by screening: their voting power. Carol delegates hers to Alice.
    [alice, bob, carol] = [await createInspector(stack, admin), await createInspector(stack, admin), await createInspector(stack, admin)];
    [client, talent] = await Promise.all([registerPersona(stack, ['CLIENT'], 'Client'), registerPersona(stack, ['TALENT'], 'Talent')]);
    const other = await registerPersona(stack, ['TALENT'], 'Other talent');
    const third = await registerPersona(stack, ['TALENT'], 'Third talent');
    for (const person of [alice, bob, carol, client, talent, other, third]) await makeMember(stack, person, admin);
    await waitFor(
      async () => (await stack.services.jobs.sql('SELECT count(*)::int AS n FROM members WHERE user_id = ANY($1)', [[client.id, talent.id]]))[0].n === 2,
      30_000,
      {
        message: 'jobs knows the client and the talent',
      },
    );
    await screenApproved(alice, talent);
    await screenApproved(bob, other);
    await screenApproved(carol, third);
    for (const voter of [alice, bob, carol]) {
      await waitFor(async () => (await stack.api.data<{ user: { votingPower: string } }>(POWER, { id: voter.id })).user.votingPower === '25', 30_000, {
        message: 'the screening reward reaches governance as voting power',
      });
    }
    await carol.api.data(DELEGATE, { to: alice.id });
    await waitFor(async () => (await stack.api.data<{ user: { votingPower: string } }>(POWER, { id: alice.id })).user.votingPower === '50', 30_000, {
      message: "Carol's delegation counts for Alice",
    });

    const { postJob } = await client.api.data<{ postJob: { id: string } }>(`mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`, {
      input: {
        title: 'Governed work',
        description: 'Build what the DAO decides to build.',
        skills: ['typescript'],
        minYearsExperience: 1,
        countries: [],
        budget: { min: { amount: '1', currency: 'USD' }, max: { amount: '200', currency: 'USD' }, unit: 'HOURLY' },
        hoursPerWeek: 20,
        durationWeeks: 4,
      },
    });
    const { applyToJob } = await talent.api.data<{ applyToJob: { id: string } }>(
      `mutation ($j: ID!) { applyToJob(jobId: $j, coverLetter: "I can do this.", proposedRate: { amount: "80", currency: "USD" }) { id } }`,
      { j: postJob.id },
    );
    contract = (await client.api.data<{ hire: { id: string } }>(`mutation ($id: ID!) { hire(applicationId: $id) { id } }`, { id: applyToJob.id })).hire.id;
    await waitFor(async () => (await stack.services.payments.sql('SELECT 1 FROM contracts WHERE id = $1', [contract])).length > 0, 30_000, {
      message: 'payments knows the contract',
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Proposes, has both members vote FOR, waits out the vote and the timelock, and executes as `executor`. */
  async function pass(proposer: Persona, input: Record<string, unknown>, executor: Persona): Promise<string> {
    const { createProposal } = await proposer.api.data<{ createProposal: { id: string; status: string } }>(CREATE, { input });
    expect(createProposal.status).toBe('PENDING');
    const id = createProposal.id;
    const status = async () => (await stack.api.data<{ proposal: { status: string; executableAt: string | null } }>(PROPOSAL, { id })).proposal;
    await waitFor(async () => (await status()).status === 'ACTIVE', 30_000, { message: 'voting opens' });
    // Alice votes with her own 25 and Carol's delegated 25.
    expect((await alice.api.data<{ castVote: { weight: string } }>(VOTE, { id })).castVote.weight).toBe('50');
    expect((await bob.api.data<{ castVote: { weight: string } }>(VOTE, { id })).castVote.weight).toBe('25');
    const queued = await waitFor(
      async () => {
        const p = await status();
        return p.status === 'QUEUED' ? p : null;
      },
      30_000,
      { message: 'the proposal succeeds and is queued' },
    );
    await waitFor(async () => Date.now() >= Date.parse(queued.executableAt!) + 200, 30_000, { message: 'the timelock passes' });
    const { executeProposal } = await executor.api.data<{ executeProposal: { status: string } }>(EXECUTE, { id });
    expect(executeProposal.status).toBe('EXECUTED');
    return id;
  }

  it('applies an executed fee change to the next invoice, not to earlier ones', async () => {
    const before = (await talent.api.data<{ submitInvoice: any }>(SUBMIT, { c: contract, h: 10 })).submitInvoice;
    expect(before).toMatchObject({ feeRate: '0.10', platformFee: { amount: '80.00' } });

    await pass(
      alice,
      {
        title: 'Lower the client fee to 5%',
        description: 'Make the network cheaper than the incumbents.',
        kind: 'PARAMETER_CHANGE',
        parameterChanges: [{ key: 'platform.feeRate', value: '0.05' }],
      },
      talent,
    );
    await waitFor(
      async () => (await stack.services.payments.sql(`SELECT value FROM governed_parameters WHERE key = 'platform.feeRate'`))[0].value === '0.05',
      30_000,
      {
        message: 'payments applies the executed change',
      },
    );
    const after = (await talent.api.data<{ submitInvoice: any }>(SUBMIT, { c: contract, h: 10 })).submitInvoice;
    expect(after).toMatchObject({ feeRate: '0.05', platformFee: { amount: '40.00' }, total: { amount: '840.00' } });
    const earlier = (await client.api.data<{ invoice: any }>(`query ($id: ID!) { invoice(id: $id) { feeRate } }`, { id: before.id })).invoice;
    expect(earlier.feeRate).toBe('0.10');
  });

  it('pays a grant from the treasury that the fees bought', async () => {
    // An invoice paid at 10%: its 80.00 USD fee buys 320 BTRST for the treasury (at 0.25 USDC).
    const invoices = await stack.services.payments.sql<{ id: string }>(`SELECT id FROM invoices WHERE contract_id = $1 AND fee_rate = 0.10`, [contract]);
    expect(await approveAndSettle(client.api, invoices[0].id, 'governed-pay-0001')).toBe('PAID');
    await waitFor(async () => (await stack.api.data<{ tokenSupply: { treasuryBalance: string } }>(SUPPLY)).tokenSupply.treasuryBalance === '320', 60_000, {
      message: 'the buyback credits the treasury',
    });
    await waitFor(async () => (await stack.services.governance.sql(`SELECT trim_scale(balance)::text AS b FROM treasury_balance`))[0]?.b === '320', 30_000, {
      message: 'governance knows the treasury balance',
    });
    const walletBefore = (await talent.api.data<{ me: { wallet: { balance: string } } }>(WALLET)).me.wallet.balance;

    await pass(
      bob,
      {
        title: 'Grant for the SDK',
        description: 'Pay the talent 100 BTRST for the open-source SDK.',
        kind: 'GRANT',
        grant: { recipientId: talent.id, amount: '100' },
      },
      alice,
    );

    await waitFor(async () => (await stack.api.data<{ tokenSupply: { treasuryBalance: string } }>(SUPPLY)).tokenSupply.treasuryBalance === '220', 30_000, {
      message: 'rewards pays the grant from the treasury',
    });
    const walletAfter = (await talent.api.data<{ me: { wallet: { balance: string } } }>(WALLET)).me.wallet.balance;
    expect(toUnits(walletAfter) - toUnits(walletBefore)).toBe(toUnits('100'));
  });

  it('extends a vote that reaches quorum in its last seconds (late-quorum prevention)', async () => {
    const { createProposal } = await bob.api.data<{ createProposal: { id: string } }>(CREATE, {
      input: { title: 'A late quorum', description: 'Quorum is reached only at the very end.', kind: 'TEXT', votingPeriodSeconds: 4 },
    });
    const id = createProposal.id;
    const read = async () => (await stack.api.data<{ proposal: { status: string; endsAt: string } }>(PROPOSAL, { id })).proposal;
    const active = await waitFor(
      async () => {
        const p = await read();
        return p.status === 'ACTIVE' ? p : null;
      },
      30_000,
      { message: 'voting opens' },
    );
    const endsAt = Date.parse(active.endsAt);
    // Nobody votes until 2 s before the end, within the 3 s extension window; then Alice and Bob
    // together (75 of the members' power) pass the quorum, whichever of their votes lands second.
    await waitFor(async () => Date.now() >= endsAt - 2000, 30_000, { message: 'the last seconds of the vote' });
    await Promise.all([alice.api.data(VOTE, { id }), bob.api.data(VOTE, { id })]);
    const extended = Date.parse((await read()).endsAt);
    expect(extended).toBeGreaterThan(endsAt);
    expect((await read()).status).toBe('ACTIVE');
    await waitFor(async () => (await read()).status === 'QUEUED', 30_000, { message: 'the extended vote ends and succeeds' });
  });
});
