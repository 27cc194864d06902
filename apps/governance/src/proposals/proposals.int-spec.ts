/**
 * Proposals, votes and the timelock on a real PostgreSQL, with a clock the tests move and the
 * lifecycle (what the delayed jobs and the sweep run) called directly: snapshots (tokens received
 * or delegated after them do not count), quorum over members only, late-quorum extension, the
 * timelock, execution once, cancellation, expiry, and transitions that survive lost jobs.
 */
import { randomUUID } from 'node:crypto';
import { type AuthUser, DomainError, systemContext, type UseCaseContext } from '@talent/platform';
import { addMember, balanceChanged } from '../../test/harness';
import { openProposals, type ProposalsHarness } from '../../test/proposals-harness';
import type { CreateProposalRequest } from './create-proposal';
import type { ProposalRecord } from './proposal.entity';

jest.setTimeout(60_000);

const as = (id: string, roles: AuthUser['roles'] = ['TALENT']): UseCaseContext => ({ caller: { id, roles } });
const ADMIN = as(randomUUID(), ['ADMIN']);
const pause = (ms = 10) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a domain error');
};

/** A member holding `balance` BTRST since a minute ago. */
async function holder(h: ProposalsHarness, balance: string): Promise<string> {
  const id = await addMember(h);
  await balanceChanged(h, id, balance, new Date(Date.now() - 60_000));
  return id;
}

const TEXT: CreateProposalRequest = { title: 'Open a community fund', description: 'Let us discuss it.', kind: 'TEXT' };
const propose = (h: ProposalsHarness, proposer: string, input: Partial<CreateProposalRequest> = {}) =>
  h.createProposal.execute(as(proposer), { ...TEXT, ...input });
const stored = async (h: ProposalsHarness, id: string): Promise<ProposalRecord> => (await h.reader.byId(id))!;
const types = async (h: ProposalsHarness, id: string) => (await h.outbox(id)).map((e) => e.type);

/** Moves the clock to the proposal's next instant and runs what its job would run. */
async function reach(h: ProposalsHarness, p: ProposalRecord, instant: 'startsAt' | 'endsAt' | 'executableAt' | 'expiresAt'): Promise<ProposalRecord> {
  const current = await stored(h, p.id);
  h.clock.set(current[instant]!);
  return (await h.advanceProposal.execute(systemContext(), { proposalId: p.id }))!;
}

describe('creating a proposal', () => {
  let h: ProposalsHarness;
  beforeAll(async () => {
    h = await openProposals('proposals_create');
  });
  afterAll(async () => h?.close());
  afterEach(() => expect(h.deadLetters).toEqual([]));

  it("needs a member whose voting power reaches the threshold; snapshot now, quorum over the members' power then", async () => {
    const small = await holder(h, '9.999999999999999999');
    const outsider = randomUUID();
    await balanceChanged(h, outsider, '5000', new Date(Date.now() - 60_000));
    expect(await codeOf(propose(h, small))).toBe('PRECONDITION_FAILED');
    expect(await codeOf(propose(h, outsider))).toBe('PRECONDITION_FAILED');

    const proposer = await holder(h, '10');
    const before = h.clock.now();
    const p = await propose(h, proposer);
    expect(p.status).toBe('PENDING');
    expect(p.snapshotAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(p.startsAt.getTime() - p.snapshotAt.getTime()).toBe(60_000);
    expect(p.endsAt.getTime() - p.startsAt.getTime()).toBe(3_600_000);
    // Members hold 9.999999999999999999 + 10; the outsider's 5000 does not count. Quorum = 50%, rounded up to 18 decimals.
    expect((await stored(h, p.id)).quorum).toBe('10.000000000000000000');
    expect(await h.outbox(p.id)).toEqual([
      {
        type: 'ProposalCreated',
        payload: expect.objectContaining({ proposalId: p.id, proposerId: proposer, kind: 'TEXT', quorum: '10', snapshotAt: p.snapshotAt.toISOString() }),
      },
    ]);
    expect(h.scheduled.at(-1)).toEqual({
      name: 'proposal.transition',
      data: { proposalId: p.id, transition: 'start', at: p.startsAt.getTime() },
      jobId: `proposal-${p.id}-start-${p.startsAt.getTime()}`,
      delay: expect.any(Number),
    });
    // Only refused proposals were attempted by the others.
    expect(await h.sql(`SELECT proposer_id FROM proposals WHERE proposer_id IN ($1, $2)`, [small, outsider])).toEqual([]);
  });

  it('counts members only in the quorum: not a non-member, not a member approved after the snapshot', async () => {
    const proposer = await holder(h, '10');
    const first = await propose(h, proposer);
    await balanceChanged(h, randomUUID(), '1000', new Date(Date.now() - 60_000)); // a system account or a non-member
    const late = randomUUID();
    await h.sql(`INSERT INTO members (user_id, kyc_case_id, approved_at) VALUES ($1, $2, now() + interval '1 hour')`, [late, randomUUID()]);
    await balanceChanged(h, late, '1000', new Date(Date.now() - 60_000));
    await holder(h, '7'); // a member: counts
    const second = await propose(h, proposer);
    expect(Number((await stored(h, second.id)).totalPower) - Number((await stored(h, first.id)).totalPower)).toBe(7);
  });

  it('refuses unknown keys, values out of range, bad periods and mixed kinds with BAD_USER_INPUT, creating nothing', async () => {
    const proposer = await holder(h, '50');
    const refusals = [
      { kind: 'PARAMETER_CHANGE', parameterChanges: [{ key: 'platform.unknownKnob', value: '1' }] },
      { kind: 'PARAMETER_CHANGE', parameterChanges: [{ key: 'platform.feeRate', value: '7' }] },
      { kind: 'PARAMETER_CHANGE', parameterChanges: [{ key: 'platform.feeRate', value: 'abc' }] },
      { kind: 'PARAMETER_CHANGE', parameterChanges: [] },
      {
        kind: 'PARAMETER_CHANGE',
        parameterChanges: [
          { key: 'platform.feeRate', value: '0.05' },
          { key: 'platform.feeRate', value: '0.06' },
        ],
      },
      { kind: 'TEXT', parameterChanges: [{ key: 'platform.feeRate', value: '0.05' }] },
      { kind: 'TEXT', votingPeriodSeconds: 59 },
      { kind: 'TEXT', title: '  ' },
      { kind: 'GRANT' },
      { kind: 'GRANT', grant: { recipientId: randomUUID(), amount: '1' } }, // not a member
      { kind: 'GRANT', grant: { recipientId: proposer, amount: '-1' } },
    ] as Array<Partial<CreateProposalRequest>>;
    for (const input of refusals) expect([input, await codeOf(propose(h, proposer, input))]).toEqual([input, 'BAD_USER_INPUT']);
    expect(await h.sql(`SELECT 1 FROM proposals WHERE proposer_id = $1`, [proposer])).toEqual([]);
  });

  it('refuses a grant larger than the treasury (INSUFFICIENT_FUNDS), as last known from TreasuryBalanceChanged', async () => {
    const proposer = await holder(h, '50');
    const recipient = await addMember(h);
    const grant = (amount: string) => propose(h, proposer, { kind: 'GRANT', grant: { recipientId: recipient, amount } });
    expect(await codeOf(grant('1'))).toBe('INSUFFICIENT_FUNDS');
    const record = (balance: string, changedAt: Date) =>
      h.dataSource.transaction((tx) =>
        h.recordTreasuryBalance.execute(systemContext({ tx }), {
          entryId: randomUUID(),
          balance,
          delta: balance,
          reason: 'FEE_CONVERSION',
          changedAt: changedAt.toISOString(),
        }),
      );
    await record('500', new Date(Date.now() - 10_000));
    await record('100', new Date(Date.now() - 20_000)); // older, arriving late: ignored
    expect(await codeOf(grant('500.000000000000000001'))).toBe('INSUFFICIENT_FUNDS');
    const p = await grant('500');
    expect([p.kind, p.grantRecipientId, p.grantAmount]).toEqual(['GRANT', recipient, '500']);
  });
});

describe('voting', () => {
  let h: ProposalsHarness;
  beforeAll(async () => {
    h = await openProposals('proposals_vote');
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.clock.reset());
  afterEach(() => expect(h.deadLetters).toEqual([]));

  it('weighs each vote by the power at the snapshot: tokens received or delegated afterwards do not count', async () => {
    const [alice, bob, carol] = [await holder(h, '40'), await holder(h, '25.5'), await holder(h, '10')];
    const outsider = randomUUID();
    await balanceChanged(h, outsider, '999', new Date(Date.now() - 60_000));
    const newcomer = await addMember(h);
    const p = await propose(h, alice, { kind: 'PARAMETER_CHANGE', parameterChanges: [{ key: 'platform.feeRate', value: '0.08' }] });
    expect(await codeOf(h.castVote.execute(as(bob), { proposalId: p.id, support: 'FOR' }))).toBe('PRECONDITION_FAILED'); // PENDING
    await pause();
    // After the snapshot: bob receives 1000, carol delegates to bob, the newcomer gets tokens.
    await balanceChanged(h, bob, '1025.5', new Date(p.snapshotAt.getTime() + 5));
    await h.delegateVotes.execute(as(carol), { toUserId: bob });
    await balanceChanged(h, newcomer, '500', new Date(p.snapshotAt.getTime() + 5));
    expect((await reach(h, p, 'startsAt')).status).toBe('ACTIVE');

    const bobVote = await h.castVote.execute(as(bob), { proposalId: p.id, support: 'FOR', reason: '  lower fees  ' });
    expect([bobVote.weight, bobVote.reason]).toEqual(['25.5', 'lower fees']);
    expect((await h.castVote.execute(as(carol), { proposalId: p.id, support: 'AGAINST' })).weight).toBe('10');
    expect(await codeOf(h.castVote.execute(as(newcomer), { proposalId: p.id, support: 'FOR' }))).toBe('PRECONDITION_FAILED'); // no power at the snapshot
    expect(await codeOf(h.castVote.execute(as(outsider), { proposalId: p.id, support: 'FOR' }))).toBe('PRECONDITION_FAILED'); // not a member
    expect(await codeOf(h.castVote.execute(as(bob), { proposalId: p.id, support: 'AGAINST' }))).toBe('CONFLICT');
    expect(await codeOf(h.castVote.execute(as(bob), { proposalId: randomUUID(), support: 'FOR' }))).toBe('NOT_FOUND');
    await h.castVote.execute(as(alice), { proposalId: p.id, support: 'ABSTAIN' });

    const tallied = await stored(h, p.id);
    expect([tallied.forVotes, tallied.againstVotes, tallied.abstainVotes]).toEqual(['25.500000000000000000', '10.000000000000000000', '40.000000000000000000']);
    expect((await h.reader.votes(p.id, 50)).map((v) => [v.voterId, v.support, v.weight])).toEqual([
      [bob, 'FOR', '25.500000000000000000'],
      [carol, 'AGAINST', '10.000000000000000000'],
      [alice, 'ABSTAIN', '40.000000000000000000'],
    ]);
    expect((await h.outbox(p.id)).filter((e) => e.type === 'VoteCast').map((e) => e.payload.weight)).toEqual(['25.5', '10', '40']);
  });

  it('counts one vote per member when the same member votes concurrently', async () => {
    const [proposer, voter] = [await holder(h, '10'), await holder(h, '3')];
    await h.setParameter('governance.votingDelaySeconds', '0');
    const p = await propose(h, proposer);
    await h.setParameter('governance.votingDelaySeconds', '60');
    expect(p.status).toBe('ACTIVE');
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map(() => h.castVote.execute(as(voter), { proposalId: p.id, support: 'FOR' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes) if (o.status === 'rejected') expect((o.reason as DomainError).code).toBe('CONFLICT');
    expect((await stored(h, p.id)).forVotes).toBe('3.000000000000000000');
  });

  it('refuses a vote after the end even before the end job ran, and the refusal leaves the tally alone', async () => {
    const [proposer, voter] = [await holder(h, '10'), await holder(h, '3')];
    const p = await propose(h, proposer, { votingPeriodSeconds: 120 });
    await reach(h, p, 'startsAt');
    h.clock.set(new Date(p.endsAt.getTime() + 1));
    expect(await codeOf(h.castVote.execute(as(voter), { proposalId: p.id, support: 'FOR' }))).toBe('PRECONDITION_FAILED');
    expect((await stored(h, p.id)).forVotes).toBe('0.000000000000000000');
  });
});

describe('late quorum', () => {
  let h: ProposalsHarness;
  beforeAll(async () => {
    h = await openProposals('proposals_late');
  });
  afterAll(async () => h?.close());
  afterEach(() => expect(h.deadLetters).toEqual([]));

  it('extends a vote that first reaches quorum in its last minutes, once (late-quorum prevention)', async () => {
    const [proposer, a, b] = [await holder(h, '10'), await holder(h, '1'), await holder(h, '1')];
    const p = await propose(h, proposer, { votingPeriodSeconds: 3600 });
    expect((await stored(h, p.id)).quorum).toBe('6.000000000000000000'); // 50% of 12: a's 1 falls short, the proposer's 10 more reach it
    await reach(h, p, 'startsAt');
    await h.castVote.execute(as(a), { proposalId: p.id, support: 'FOR' });
    // 60 s before the end, the proposer's 10 reach quorum: the end moves to now + 300 s.
    h.clock.set(new Date(p.endsAt.getTime() - 60_000));
    const reachedAt = h.clock.now();
    await h.castVote.execute(as(proposer), { proposalId: p.id, support: 'FOR' });
    const extended = await stored(h, p.id);
    expect(extended.endsAt.getTime() - reachedAt.getTime()).toBeGreaterThanOrEqual(300_000);
    expect(extended.endsAt.getTime() - reachedAt.getTime()).toBeLessThan(301_000);
    expect(extended.extendedByLateQuorum).toBe(true);
    expect(h.scheduled.at(-1)).toMatchObject({ data: { proposalId: p.id, transition: 'end', at: extended.endsAt.getTime() } });

    // The old end job finds nothing due; votes are still taken, and do not extend again.
    h.clock.set(p.endsAt);
    expect((await h.advanceProposal.execute(systemContext(), { proposalId: p.id }))!.status).toBe('ACTIVE');
    await h.castVote.execute(as(b), { proposalId: p.id, support: 'AGAINST' });
    expect((await stored(h, p.id)).endsAt).toEqual(extended.endsAt);
    expect((await reach(h, p, 'endsAt')).status).toBe('QUEUED');
  });
});

describe('outcome, timelock and execution', () => {
  let h: ProposalsHarness;
  beforeAll(async () => {
    h = await openProposals('proposals_exec');
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.clock.reset());
  afterEach(() => expect(h.deadLetters).toEqual([]));

  it('queues a succeeded PARAMETER_CHANGE, executes it once after the timelock, and applies the new value', async () => {
    const [proposer, voter] = [await holder(h, '100'), await holder(h, '20')];
    const p = await propose(h, proposer, { kind: 'PARAMETER_CHANGE', parameterChanges: [{ key: 'platform.feeRate', value: '0.080' }] });
    expect(p.parameterChanges).toEqual([{ key: 'platform.feeRate', value: '0.08' }]);
    await reach(h, p, 'startsAt');
    await h.castVote.execute(as(proposer), { proposalId: p.id, support: 'FOR' });
    await h.castVote.execute(as(voter), { proposalId: p.id, support: 'AGAINST' });
    expect(await codeOf(h.executeProposal.execute(as(voter), { proposalId: p.id }))).toBe('PRECONDITION_FAILED'); // still ACTIVE

    const queued = await reach(h, p, 'endsAt');
    expect(queued.status).toBe('QUEUED');
    expect(queued.executableAt!.getTime() - queued.queuedAt!.getTime()).toBe(600_000);
    expect(queued.expiresAt!.getTime() - queued.executableAt!.getTime()).toBe(3_600_000);
    expect(h.scheduled.at(-1)).toMatchObject({ data: { proposalId: p.id, transition: 'expire', at: queued.expiresAt!.getTime() } });
    expect(await codeOf(h.executeProposal.execute(as(voter), { proposalId: p.id }))).toBe('PRECONDITION_FAILED'); // timelock

    h.clock.set(queued.executableAt!);
    const executed = await h.executeProposal.execute(as(voter), { proposalId: p.id });
    expect([executed.status, executed.executedBy]).toEqual(['EXECUTED', voter]);
    expect(await h.parameters.get(h.dataSource.manager, 'platform.feeRate')).toBe('0.08');
    expect(await h.sql(`SELECT proposal_id FROM governance_parameters WHERE key = 'platform.feeRate'`)).toEqual([{ proposal_id: p.id }]);
    expect(await codeOf(h.executeProposal.execute(as(proposer), { proposalId: p.id }))).toBe('CONFLICT');
    await h.lifecycle.sweep();

    expect(await types(h, p.id)).toEqual([
      'ProposalCreated',
      'VoteCast',
      'VoteCast',
      'ProposalQueued',
      'proposal.decided',
      'ProposalExecuted',
      'proposal.decided',
    ]);
    const decided = (await h.outbox(p.id)).filter((e) => e.type === 'proposal.decided').map((e) => e.payload);
    expect(decided.map((d) => d.outcome)).toEqual(['QUEUED', 'EXECUTED']);
    expect(decided[1]).toMatchObject({ kind: 'PARAMETER_CHANGE', forVotes: '100', againstVotes: '20', abstainVotes: '0', quorum: '60', grantAmount: null });
    expect(JSON.stringify(decided)).not.toContain(proposer);
    expect((await h.outbox('platform.feeRate')).map((e) => e.payload)).toEqual([
      expect.objectContaining({ proposalId: p.id, key: 'platform.feeRate', value: '0.08', previousValue: '0.1' }),
    ]);
  });

  it('executes once when two callers race', async () => {
    await h.setParameter('governance.quorumFraction', '0.01');
    const proposer = await holder(h, '1000');
    const p = await propose(h, proposer, { kind: 'PARAMETER_CHANGE', parameterChanges: [{ key: 'platform.feeRate', value: '0.09' }] });
    await reach(h, p, 'startsAt');
    await h.castVote.execute(as(proposer), { proposalId: p.id, support: 'FOR' });
    await reach(h, p, 'endsAt');
    h.clock.set((await stored(h, p.id)).executableAt!);
    const outcomes = await Promise.allSettled([
      h.executeProposal.execute(as(proposer), { proposalId: p.id }),
      h.executeProposal.execute(as(randomUUID()), { proposalId: p.id }),
    ]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.status : (o.reason as DomainError).code)).sort()).toEqual(['CONFLICT', 'EXECUTED']);
    expect((await h.outbox('platform.feeRate')).filter((e) => e.payload.proposalId === p.id)).toHaveLength(1);
  });

  it('defeats a proposal without a FOR majority or without quorum; a defeated proposal cannot be executed', async () => {
    await h.setParameter('governance.quorumFraction', '0.01');
    const [proposer, big, tiny] = [await holder(h, '100'), await holder(h, '500'), await holder(h, '0.5')];
    const tie = await propose(h, proposer);
    const quiet = await propose(h, proposer);
    h.clock.set(quiet.startsAt); // both started
    await h.castVote.execute(as(proposer), { proposalId: tie.id, support: 'FOR' });
    await h.castVote.execute(as(big), { proposalId: tie.id, support: 'AGAINST' });
    await h.castVote.execute(as(tiny), { proposalId: quiet.id, support: 'FOR' }); // a majority, far from quorum
    h.clock.set(quiet.endsAt); // both ended
    expect((await h.advanceProposal.execute(systemContext(), { proposalId: tie.id }))!.status).toBe('DEFEATED');
    expect((await h.advanceProposal.execute(systemContext(), { proposalId: quiet.id }))!.status).toBe('DEFEATED');
    expect(await codeOf(h.executeProposal.execute(as(proposer), { proposalId: tie.id }))).toBe('PRECONDITION_FAILED');
    expect(await types(h, quiet.id)).toEqual(['ProposalCreated', 'VoteCast', 'ProposalDefeated', 'proposal.decided']);
    expect((await h.outbox(quiet.id)).at(-1)!.payload).toMatchObject({ outcome: 'DEFEATED', forVotes: '0.5', againstVotes: '0' });
  });

  it('approves a grant on execution (GrantApproved for rewards to pay)', async () => {
    await h.setParameter('governance.quorumFraction', '0.01');
    const [proposer, recipient] = [await holder(h, '1000'), await addMember(h)];
    await h.dataSource.transaction((tx) =>
      h.recordTreasuryBalance.execute(systemContext({ tx }), {
        entryId: randomUUID(),
        balance: '250.5',
        delta: '250.5',
        reason: 'STAKE_SLASH',
        changedAt: new Date().toISOString(),
      }),
    );
    const p = await propose(h, proposer, { kind: 'GRANT', grant: { recipientId: recipient.toUpperCase(), amount: '250.50' } });
    await reach(h, p, 'startsAt');
    await h.castVote.execute(as(proposer), { proposalId: p.id, support: 'FOR' });
    await reach(h, p, 'endsAt');
    h.clock.set((await stored(h, p.id)).executableAt!);
    await h.executeProposal.execute(as(recipient), { proposalId: p.id });
    const grant = (await h.outbox(p.id)).find((e) => e.type === 'GrantApproved');
    expect(grant?.payload).toMatchObject({ proposalId: p.id, recipientId: recipient, amount: '250.5' });
  });

  it('expires a queued proposal not executed within the grace period', async () => {
    await h.setParameter('governance.quorumFraction', '0.01');
    const proposer = await holder(h, '5000');
    const p = await propose(h, proposer);
    await reach(h, p, 'startsAt');
    await h.castVote.execute(as(proposer), { proposalId: p.id, support: 'FOR' });
    const queued = await reach(h, p, 'endsAt');
    h.clock.set(queued.expiresAt!);
    expect(await codeOf(h.executeProposal.execute(as(proposer), { proposalId: p.id }))).toBe('PRECONDITION_FAILED');
    await h.lifecycle.sweep();
    expect((await stored(h, p.id)).status).toBe('EXPIRED');
    expect((await h.outbox(p.id)).at(-1)!.payload).toMatchObject({ outcome: 'EXPIRED' });
  });
});

describe('canceling and lost jobs', () => {
  let h: ProposalsHarness;
  beforeAll(async () => {
    h = await openProposals('proposals_cancel');
    await h.setParameter('governance.quorumFraction', '0.01');
  });
  afterAll(async () => h?.close());
  beforeEach(() => h.clock.reset());
  afterEach(() => expect(h.deadLetters).toEqual([]));

  it('lets the proposer cancel before execution, and nobody else but a guardian', async () => {
    const [proposer, other] = [await holder(h, '100'), await holder(h, '1')];
    const p = await propose(h, proposer);
    expect(await codeOf(h.cancelProposal.execute(as(other), { proposalId: p.id }))).toBe('FORBIDDEN');
    expect(await codeOf(h.cancelProposal.execute(ADMIN, { proposalId: p.id, reason: 'no' }))).toBe('PRECONDITION_FAILED'); // the guardian acts on queued proposals only
    await reach(h, p, 'startsAt');
    const canceled = await h.cancelProposal.execute(as(proposer), { proposalId: p.id });
    expect([canceled.status, canceled.canceledBy, canceled.canceledByGuardian]).toEqual(['CANCELED', proposer, false]);
    expect(await codeOf(h.cancelProposal.execute(as(proposer), { proposalId: p.id }))).toBe('CONFLICT');
    expect(await codeOf(h.castVote.execute(as(other), { proposalId: p.id, support: 'FOR' }))).toBe('PRECONDITION_FAILED');
    h.clock.set(p.endsAt);
    expect((await h.advanceProposal.execute(systemContext(), { proposalId: p.id }))!.status).toBe('CANCELED'); // the end job finds nothing to do
    expect((await h.outbox(p.id)).at(-1)!.payload).toMatchObject({ outcome: 'CANCELED' });
  });

  it('lets an ADMIN guardian cancel a queued proposal, with a reason', async () => {
    const proposer = await holder(h, '100');
    const p = await propose(h, proposer);
    await reach(h, p, 'startsAt');
    await h.castVote.execute(as(proposer), { proposalId: p.id, support: 'FOR' });
    await reach(h, p, 'endsAt');
    expect(await codeOf(h.cancelProposal.execute(ADMIN, { proposalId: p.id, reason: '   ' }))).toBe('BAD_USER_INPUT');
    const canceled = await h.cancelProposal.execute(ADMIN, { proposalId: p.id, reason: 'Drains the treasury through a loophole' });
    expect([canceled.status, canceled.canceledByGuardian, canceled.cancelReason]).toEqual(['CANCELED', true, 'Drains the treasury through a loophole']);
    expect((await h.outbox(p.id)).find((e) => e.type === 'ProposalCanceled')!.payload).toMatchObject({ byGuardian: true, canceledBy: ADMIN.caller!.id });
    h.clock.set(canceled.executableAt!);
    expect(await codeOf(h.executeProposal.execute(as(proposer), { proposalId: p.id }))).toBe('PRECONDITION_FAILED');
  });

  it('loses nothing when jobs are lost: start-up reconciliation applies what is overdue, once, and re-schedules the rest', async () => {
    const proposer = await holder(h, '100');
    const overdue = await propose(h, proposer);
    const waiting = await propose(h, proposer, { votingPeriodSeconds: 7200 });
    // Governance was down from before the start until after the first one's end.
    h.clock.set(new Date(overdue.endsAt.getTime() + 1));
    h.scheduled.length = 0;
    await h.lifecycle.reconcile();
    await h.lifecycle.reconcile();
    expect((await stored(h, overdue.id)).status).toBe('DEFEATED');
    expect((await stored(h, waiting.id)).status).toBe('ACTIVE');
    expect(await types(h, overdue.id)).toEqual(['ProposalCreated', 'ProposalDefeated', 'proposal.decided']);
    expect(h.scheduled.filter((j) => j.data.proposalId === waiting.id).map((j) => j.jobId)).toContain(`proposal-${waiting.id}-end-${waiting.endsAt.getTime()}`);
    // A job that fires early (clocks) fails, to be retried, and changes nothing.
    await expect(h.lifecycle.onTransitionDue({ proposalId: waiting.id, transition: 'end', at: waiting.endsAt.getTime() })).rejects.toThrow(/not due yet/);
    expect((await stored(h, waiting.id)).status).toBe('ACTIVE');
  });
});
