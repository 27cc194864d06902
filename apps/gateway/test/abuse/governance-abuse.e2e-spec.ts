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
 * The abuse suite of governance: what three colluding members (25 BTRST of voting power each,
 * earned by screening) could try against a vote, end to end through the gateway on the real stack
 * (identity, rewards, governance as processes; Kafka between them). Each test asserts what a
 * member would check on the proposal: no voting power counted twice, none that did not exist at
 * the snapshot, one execution, nothing proposed beyond the treasury.
 */
jest.setTimeout(240_000);

const CREATE = `mutation ($input: CreateProposalInput!) { createProposal(input: $input) { id status snapshotAt } }`;
const PROPOSAL = `query ($id: ID!) { proposal(id: $id) { id status forVotes againstVotes executableAt } }`;
const VOTE = `mutation ($id: ID!) { castVote(proposalId: $id, support: FOR) { weight } }`;
const EXECUTE = `mutation ($id: ID!) { executeProposal(proposalId: $id) { id status } }`;
const POWER = `query ($id: ID!) { user(id: $id) { votingPower } }`;
const DELEGATE = `mutation ($to: ID!) { delegateVotes(toUserId: $to) { id } }`;

describe('governance abuse: three colluding members', () => {
  let stack: Stack;
  let admin: Persona;
  let alice: Persona;
  let bob: Persona;
  let carol: Persona;

  const power = async (who: Persona) => (await stack.api.data<{ user: { votingPower: string } }>(POWER, { id: who.id })).user.votingPower;
  const proposal = async (id: string) =>
    (await stack.api.data<{ proposal: { status: string; forVotes: string; againstVotes: string; executableAt: string | null } }>(PROPOSAL, { id })).proposal;
  const screenOne = async (inspector: Persona) => {
    const talent = await registerPersona(stack, ['TALENT'], 'Screened talent');
    await makeMember(stack, talent, admin);
    await screenApproved(inspector, talent);
  };

  beforeAll(async () => {
    stack = await startStack({
      services: ['rewards', 'governance'],
      env: {
        governance: {
          GOVERNANCE_VOTING_DELAY_SECONDS: '2',
          GOVERNANCE_VOTING_PERIOD_SECONDS: '12',
          GOVERNANCE_MIN_VOTING_PERIOD_SECONDS: '3',
          GOVERNANCE_TIMELOCK_SECONDS: '3',
          GOVERNANCE_LATE_QUORUM_EXTENSION_SECONDS: '1',
          GOVERNANCE_GRACE_PERIOD_SECONDS: '600',
          GOVERNANCE_QUORUM_FRACTION: '0.3',
          GOVERNANCE_PROPOSAL_THRESHOLD: '20',
        },
      },
    });
    admin = await signInAdmin(stack);
    [alice, bob, carol] = [await createInspector(stack, admin), await createInspector(stack, admin), await createInspector(stack, admin)];
    for (const member of [alice, bob, carol]) await makeMember(stack, member, admin);
    for (const member of [alice, bob, carol]) await screenOne(member);
    for (const member of [alice, bob, carol]) {
      await waitFor(async () => (await power(member)) === '25', 30_000, { message: 'each member holds 25 BTRST of voting power' });
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('power delegated or earned after the snapshot counts for nothing; a second vote is refused; the tally is the snapshot total', async () => {
    const { createProposal } = await alice.api.data<{ createProposal: { id: string } }>(CREATE, {
      input: { title: 'Colluders propose', description: 'A text proposal the three will try to inflate.', kind: 'TEXT' },
    });
    const id = createProposal.id;
    // After the snapshot: Bob and Carol delegate to Alice, and Alice earns 25 more by screening.
    await bob.api.data(DELEGATE, { to: alice.id });
    await carol.api.data(DELEGATE, { to: alice.id });
    await screenOne(alice);
    await waitFor(async () => (await power(alice)) === '100', 30_000, { message: "Alice's current power includes the late delegations and reward" });

    await waitFor(async () => (await proposal(id)).status === 'ACTIVE', 30_000, { message: 'voting opens' });
    // Each votes with what they held at the snapshot, nothing more.
    expect((await alice.api.data<{ castVote: { weight: string } }>(VOTE, { id })).castVote.weight).toBe('25');
    expect((await bob.api.data<{ castVote: { weight: string } }>(VOTE, { id })).castVote.weight).toBe('25');
    expect((await carol.api.data<{ castVote: { weight: string } }>(VOTE, { id })).castVote.weight).toBe('25');
    // Voting again, in any direction, is refused and changes nothing.
    expect(errorCode(await alice.api.request(VOTE, { id }))).toBe('CONFLICT');
    expect(errorCode(await bob.api.request(`mutation ($id: ID!) { castVote(proposalId: $id, support: AGAINST) { weight } }`, { id }))).toBe('CONFLICT');
    expect(await proposal(id)).toMatchObject({ forVotes: '75', againstVotes: '0' });
  });

  it('a proposal executes once, and only after its timelock; a grant beyond the treasury is never proposed', async () => {
    // Delegations from the first test stand: Alice proposes with the others' power, which is theirs to lend.
    const { createProposal } = await alice.api.data<{ createProposal: { id: string } }>(CREATE, {
      input: { title: 'Execute me twice', description: 'The colluders try to execute early and twice.', kind: 'TEXT', votingPeriodSeconds: 3 },
    });
    const id = createProposal.id;
    await waitFor(async () => (await proposal(id)).status === 'ACTIVE', 30_000, { message: 'voting opens' });
    expect((await alice.api.data<{ castVote: { weight: string } }>(VOTE, { id })).castVote.weight).toBe('100');
    const queued = await waitFor(
      async () => {
        const p = await proposal(id);
        return p.status === 'QUEUED' ? p : null;
      },
      30_000,
      { message: 'queued' },
    );
    if (Date.now() < Date.parse(queued.executableAt!) - 500) expect(errorCode(await bob.api.request(EXECUTE, { id }))).toBe('PRECONDITION_FAILED');
    await waitFor(async () => Date.now() >= Date.parse(queued.executableAt!) + 200, 30_000, { message: 'the timelock passes' });
    const results = await Promise.all([alice, bob, carol].map((m) => m.api.request<{ executeProposal: { status: string } }>(EXECUTE, { id })));
    expect(results.filter((r) => r.data?.executeProposal.status === 'EXECUTED')).toHaveLength(1);
    expect(results.filter((r) => errorCode(r) === 'CONFLICT')).toHaveLength(2);
    expect(errorCode(await carol.api.request(EXECUTE, { id }))).toBe('CONFLICT');

    const before = await stack.services.governance.sql(`SELECT count(*)::int AS n FROM proposals`);
    const greedy = await alice.api.request(CREATE, {
      input: {
        title: 'Pay Bob the treasury and more',
        description: 'A grant larger than the treasury holds.',
        kind: 'GRANT',
        grant: { recipientId: bob.id, amount: '1000000000' },
      },
    });
    expect(errorCode(greedy)).toBe('INSUFFICIENT_FUNDS');
    expect(await stack.services.governance.sql(`SELECT count(*)::int AS n FROM proposals`)).toEqual(before);
  });
});
