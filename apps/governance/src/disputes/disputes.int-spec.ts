/**
 * Disputes and juries on a real PostgreSQL, with a clock the test moves: who may open a
 * dispute and who may sit on its jury (parties, referral relations, busy jurors, no power),
 * the draw reproducible from the recorded seed and eligible set, votes (once, jurors only,
 * in time), the majority's verdict, and no-shows replaced at their deadline.
 */
import { randomUUID } from 'node:crypto';
import { DomainError, systemContext } from '@talent/platform';
import { addMember } from '../../test/harness';
import {
  as,
  contract,
  deadlineJob,
  holder,
  juryDeadlines,
  openDisputes,
  outboxOf,
  referred,
  setParameter,
  type DisputesHarness,
} from '../../test/disputes.harness';
import { drawJurors, eligibleHash, toWeightUnits } from './jury-draw';
import { MAX_ROUNDS } from './apply-jury-deadline';

let h: DisputesHarness;
const REASON = 'The delivered work does not match the agreed scope.';
const HOUR = 3_600_000;

beforeAll(async () => {
  h = await openDisputes('disputes');
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const codeOf = async (work: Promise<unknown>): Promise<string> => {
  try {
    await work;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  throw new Error('expected a domain error');
};
const disputesOf = (contractId: string) => h.sql(`SELECT id, status FROM disputes WHERE contract_id = $1`, [contractId]);
const seatsOf = (disputeId: string) =>
  h.sql<{ seat: number; round: number; juror_id: string; decision: string | null; replaced_by: string | null }>(
    `SELECT seat, round, juror_id, decision, replaced_by FROM dispute_jurors WHERE dispute_id = $1 ORDER BY round, seat`,
    [disputeId],
  );
const currentJurors = async (disputeId: string) => (await seatsOf(disputeId)).filter((s) => s.replaced_by === null).map((s) => s.juror_id);
const drawOf = (disputeId: string, round: number) =>
  h.sql<{ eligible: Array<[string, string]>; eligible_hash: string; drawn: string[]; seed: string; seats: number }>(
    `SELECT r.eligible, r.eligible_hash, r.drawn, r.seats, d.seed FROM dispute_draws r JOIN disputes d ON d.id = r.dispute_id WHERE r.dispute_id = $1 AND r.round = $2`,
    [disputeId, round],
  );

let talent: string;
let client: string;

describe('openDispute', () => {
  it('refuses, changing nothing, when fewer members are eligible than the jury size (PRECONDITION_FAILED)', async () => {
    talent = await holder(h, '10');
    client = await holder(h, '10');
    await holder(h, '5');
    await holder(h, '5');
    // A member without voting power never sits.
    await addMember(h);
    const contractId = await contract(h, talent, client);
    expect(await codeOf(h.open.execute(as(client), { contractId, reason: REASON }))).toBe('PRECONDITION_FAILED');
    expect(await disputesOf(contractId)).toEqual([]);
    expect(await h.sql(`SELECT 1 FROM outbox`)).toEqual([]);
  });

  it('lets a party open it: a jury of jurySize is drawn at once (VOTING), DisputeOpened and JurorDrawn are published, the reason stays here', async () => {
    const third = await holder(h, '1');
    const contractId = await contract(h, talent, client);
    const dispute = await h.open.execute(as(talent), { contractId, reason: `  ${REASON}  ` });
    expect(dispute).toMatchObject({
      contractId,
      openedBy: talent,
      talentId: talent,
      clientId: client,
      reason: REASON,
      status: 'VOTING',
      jurySize: 3,
      round: 1,
      outcome: null,
    });
    const jurors = await currentJurors(dispute.id);
    expect(jurors).toHaveLength(3);
    expect(jurors).toContain(third);
    expect(jurors).not.toContain(talent);
    expect(jurors).not.toContain(client);

    expect(await outboxOf(h, 'DisputeOpened')).toEqual([
      { disputeId: dispute.id, contractId, openedBy: talent, talentId: talent, clientId: client, openedAt: h.clock.now().toISOString() },
    ]);
    const drawn = await outboxOf(h, 'JurorDrawn');
    expect(drawn.map((d) => [d.seat, d.jurorId, d.replaces])).toEqual(jurors.map((j, i) => [i + 1, j, null]));
    expect(drawn[0].voteBy).toBe(new Date(h.clock.now().getTime() + HOUR).toISOString());
    const outbox = JSON.stringify(await h.sql(`SELECT envelope FROM outbox`));
    expect(outbox).not.toContain('agreed scope');
    expect(juryDeadlines(h)).toEqual([deadlineJob(dispute.id, 1, new Date(h.clock.now().getTime() + HOUR))]);

    // Everyone can re-run the draw from the recorded seed and eligible set.
    const [draw] = await drawOf(dispute.id, 1);
    const eligible = draw.eligible.map(([userId, weight]) => ({ userId, weight: BigInt(weight) }));
    expect(draw.eligible_hash).toBe(eligibleHash(eligible));
    expect(drawJurors(draw.seed, 1, eligible, draw.seats)).toEqual(jurors);
    expect(draw.drawn).toEqual(jurors);
    // Weights are the voting power at the draw instant, in 1e-18 units.
    expect(draw.eligible.find(([id]) => id === third)).toEqual([third, toWeightUnits('1').toString()]);
  });

  it('refuses non-parties (FORBIDDEN), unknown contracts (NOT_FOUND), a reason out of 10..2000 characters (BAD_USER_INPUT) and a second open dispute (CONFLICT)', async () => {
    const [t, c] = [await holder(h, '1'), await holder(h, '1')];
    const contractId = await contract(h, t, c);
    const stranger = await holder(h, '100');
    const before = await h.sql(`SELECT count(*)::int AS n FROM outbox`);
    expect(await codeOf(h.open.execute(as(stranger), { contractId, reason: REASON }))).toBe('FORBIDDEN');
    expect(await codeOf(h.open.execute(as(randomUUID(), ['ADMIN']), { contractId, reason: REASON }))).toBe('FORBIDDEN');
    expect(await codeOf(h.open.execute(as(t), { contractId: randomUUID(), reason: REASON }))).toBe('NOT_FOUND');
    expect(await codeOf(h.open.execute(as(t), { contractId: 'not-a-uuid', reason: REASON }))).toBe('NOT_FOUND');
    expect(await codeOf(h.open.execute(as(t), { contractId, reason: ' too short ' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(h.open.execute(as(t), { contractId, reason: 'x'.repeat(2001) }))).toBe('BAD_USER_INPUT');
    expect(await disputesOf(contractId)).toEqual([]);
    expect(await h.sql(`SELECT count(*)::int AS n FROM outbox`)).toEqual(before);

    // Two at once: one opens it, the other is refused.
    const results = await Promise.allSettled([h.open.execute(as(t), { contractId, reason: REASON }), h.open.execute(as(c), { contractId, reason: REASON })]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as DomainError).code).toBe('CONFLICT');
    expect(await codeOf(h.open.execute(as(c), { contractId, reason: REASON }))).toBe('CONFLICT');
    expect(await disputesOf(contractId)).toHaveLength(1);
  });

  it('never seats a party, anyone related to a party by referral or delegation, a juror busy on another open dispute, or a member without power', async () => {
    const [t, c] = [await holder(h, '3'), await holder(h, '3')];
    const connectorOfTalent = await holder(h, '50');
    const refereeOfClient = await holder(h, '50');
    const siblingOfTalent = await holder(h, '50');
    const jobReferrerOfClient = await holder(h, '50');
    const powerless = await addMember(h);
    const free = await holder(h, '2');
    await referred(h, connectorOfTalent, t);
    await referred(h, c, refereeOfClient);
    await referred(h, connectorOfTalent, siblingOfTalent);
    await referred(h, jobReferrerOfClient, c, 'JOB');
    // Delegation ties at the draw instant: the talent's delegate, and a member who delegated to the client.
    const delegateOfTalent = await holder(h, '50');
    const delegatorToClient = await holder(h, '50');
    const since = new Date(h.clock.now().getTime() - 30_000);
    await h.sql(`INSERT INTO delegations (delegator_id, delegatee_id, from_time) VALUES ($1, $2, $3), ($4, $5, $3)`, [
      t,
      delegateOfTalent,
      since,
      delegatorToClient,
      c,
    ]);
    const busy = (
      await h.sql<{ juror_id: string }>(
        `SELECT juror_id FROM dispute_jurors j JOIN disputes d ON d.id = j.dispute_id WHERE d.status = 'VOTING' AND j.replaced_by IS NULL`,
      )
    ).map((r) => r.juror_id);
    expect(busy.length).toBeGreaterThan(0);

    const dispute = await h.open.execute(as(c), { contractId: await contract(h, t, c), reason: REASON });
    const [draw] = await drawOf(dispute.id, 1);
    const eligible = draw.eligible.map(([id]) => id);
    for (const excluded of [
      t,
      c,
      connectorOfTalent,
      refereeOfClient,
      siblingOfTalent,
      jobReferrerOfClient,
      delegateOfTalent,
      delegatorToClient,
      powerless,
      ...busy,
    ])
      expect(eligible).not.toContain(excluded);
    expect(eligible).toContain(free);
    expect(await currentJurors(dispute.id)).toEqual(draw.drawn);
  });
});

describe('castJuryVote', () => {
  it('takes one vote per juror, jurors only, and resolves with the majority of the jury size; the minority is not in the majority', async () => {
    const [t, c] = [await holder(h, '1'), await holder(h, '1')];
    await Promise.all(Array.from({ length: 3 }, () => holder(h, '4')));
    const dispute = await h.open.execute(as(c), { contractId: await contract(h, t, c), reason: REASON });
    const [first, second, third] = await currentJurors(dispute.id);

    expect(await codeOf(h.vote.execute(as(t), { disputeId: dispute.id, decision: 'FOR_TALENT' }))).toBe('FORBIDDEN');
    expect(await codeOf(h.vote.execute(as(randomUUID(), ['ADMIN']), { disputeId: dispute.id, decision: 'FOR_TALENT' }))).toBe('FORBIDDEN');
    expect(await codeOf(h.vote.execute(as(first), { disputeId: randomUUID(), decision: 'FOR_TALENT' }))).toBe('NOT_FOUND');
    expect(await codeOf(h.vote.execute(as(first), { disputeId: dispute.id, decision: 'MAYBE' as never }))).toBe('BAD_USER_INPUT');

    expect((await h.vote.execute(as(first), { disputeId: dispute.id, decision: 'FOR_CLIENT' })).status).toBe('VOTING');
    // Twice, even at once: one vote counts.
    const again = await Promise.allSettled([
      h.vote.execute(as(first), { disputeId: dispute.id, decision: 'FOR_TALENT' }),
      h.vote.execute(as(first), { disputeId: dispute.id, decision: 'FOR_CLIENT' }),
    ]);
    expect(again.map((r) => (r.status === 'rejected' ? (r.reason as DomainError).code : 'ok'))).toEqual(['CONFLICT', 'CONFLICT']);
    expect((await h.vote.execute(as(second), { disputeId: dispute.id, decision: 'FOR_TALENT' })).status).toBe('VOTING');
    const resolved = await h.vote.execute(as(third), { disputeId: dispute.id, decision: 'FOR_CLIENT' });
    expect(resolved).toMatchObject({ status: 'RESOLVED', outcome: 'FOR_CLIENT', resolvedAt: h.clock.now() });
    const [event] = (await outboxOf(h, 'DisputeResolved')).filter((e) => e.disputeId === dispute.id);
    expect(event).toEqual({
      disputeId: dispute.id,
      contractId: dispute.contractId,
      decision: 'FOR_CLIENT',
      majorityJurorIds: [first, third],
      resolvedAt: h.clock.now().toISOString(),
    });
    expect((await seatsOf(dispute.id)).map((s) => s.decision)).toEqual(['FOR_CLIENT', 'FOR_TALENT', 'FOR_CLIENT']);
  });

  it('closes at the majority: a juror who had not voted yet can no longer vote (PRECONDITION_FAILED), and the jurors are free for other disputes', async () => {
    const [t, c] = [await holder(h, '1'), await holder(h, '1')];
    const dispute = await h.open.execute(as(t), { contractId: await contract(h, t, c), reason: REASON });
    const [a, b, late] = await currentJurors(dispute.id);
    await h.vote.execute(as(a), { disputeId: dispute.id, decision: 'FOR_TALENT' });
    expect((await h.vote.execute(as(b), { disputeId: dispute.id, decision: 'FOR_TALENT' })).outcome).toBe('FOR_TALENT');
    expect(await codeOf(h.vote.execute(as(late), { disputeId: dispute.id, decision: 'FOR_CLIENT' }))).toBe('PRECONDITION_FAILED');
    const [event] = (await outboxOf(h, 'DisputeResolved')).filter((e) => e.disputeId === dispute.id);
    expect(event.majorityJurorIds).toEqual([a, b]);

    const next = await h.open.execute(as(t), { contractId: await contract(h, t, c), reason: REASON });
    const [draw] = await drawOf(next.id, 1);
    expect(draw.eligible.map(([id]) => id)).toEqual(expect.arrayContaining([a, b, late]));
  });
});

describe('the jury deadline', () => {
  it('refuses a vote after the deadline, replaces the jurors who did not vote (reproducibly), and the new jury decides; the no-shows are out', async () => {
    const [t, c] = [await holder(h, '1'), await holder(h, '1')];
    await Promise.all(Array.from({ length: 4 }, () => holder(h, '7')));
    const dispute = await h.open.execute(as(c), { contractId: await contract(h, t, c), reason: REASON });
    const [voter, noShow1, noShow2] = await currentJurors(dispute.id);
    await h.vote.execute(as(voter), { disputeId: dispute.id, decision: 'FOR_TALENT' });

    // Before the deadline: nothing to do, the job is rescheduled for it.
    h.clock.advance(HOUR - 1000);
    expect(await h.deadline.execute(systemContext(), { disputeId: dispute.id })).toEqual({ kind: 'WAITING', next: new Date(h.clock.now().getTime() + 1000) });
    h.clock.advance(1001);
    expect(await codeOf(h.vote.execute(as(noShow1), { disputeId: dispute.id, decision: 'FOR_CLIENT' }))).toBe('PRECONDITION_FAILED');

    const outcome = await h.deadline.execute(systemContext(), { disputeId: dispute.id });
    expect(outcome).toMatchObject({ kind: 'REPLACED', round: 2, replaced: 2 });
    const seats = await seatsOf(dispute.id);
    const replacements = seats.filter((s) => s.round === 2);
    expect(replacements.map((s) => s.seat)).toEqual([2, 3]);
    expect(seats.filter((s) => s.round === 1).map((s) => [s.juror_id, s.replaced_by])).toEqual([
      [voter, null],
      [noShow1, replacements[0].juror_id],
      [noShow2, replacements[1].juror_id],
    ]);
    const [draw] = await drawOf(dispute.id, 2);
    const eligible = draw.eligible.map(([userId, weight]) => ({ userId, weight: BigInt(weight) }));
    for (const former of [voter, noShow1, noShow2]) expect(draw.eligible.map(([id]) => id)).not.toContain(former);
    expect(drawJurors(draw.seed, 2, eligible, 2)).toEqual(replacements.map((s) => s.juror_id));
    const drawnEvents = (await outboxOf(h, 'JurorDrawn')).filter((e) => e.disputeId === dispute.id && e.replaces);
    expect(drawnEvents.map((e) => [e.seat, e.jurorId, e.replaces])).toEqual([
      [2, replacements[0].juror_id, noShow1],
      [3, replacements[1].juror_id, noShow2],
    ]);
    expect(juryDeadlines(h).at(-1)).toEqual(deadlineJob(dispute.id, 2, new Date(h.clock.now().getTime() + HOUR)));

    // A replaced no-show is no longer a juror; the new ones vote.
    expect(await codeOf(h.vote.execute(as(noShow2), { disputeId: dispute.id, decision: 'FOR_TALENT' }))).toBe('FORBIDDEN');
    expect(await h.deadline.execute(systemContext(), { disputeId: dispute.id })).toMatchObject({ kind: 'WAITING' });
    const resolved = await h.vote.execute(as(replacements[1].juror_id), { disputeId: dispute.id, decision: 'FOR_TALENT' });
    expect(resolved.outcome).toBe('FOR_TALENT');
    const [event] = (await outboxOf(h, 'DisputeResolved')).filter((e) => e.disputeId === dispute.id);
    expect(event.majorityJurorIds).toEqual([voter, replacements[1].juror_id]);
    expect(await h.deadline.execute(systemContext(), { disputeId: dispute.id })).toEqual({ kind: 'NOTHING' });
  });

  it(`resolves with the votes cast once ${MAX_ROUNDS} rounds are spent`, async () => {
    const [t, c] = [await holder(h, '1'), await holder(h, '1')];
    await Promise.all(Array.from({ length: 6 }, () => holder(h, '3')));
    const dispute = await h.open.execute(as(t), { contractId: await contract(h, t, c), reason: REASON });
    const [voter] = await currentJurors(dispute.id);
    await h.vote.execute(as(voter), { disputeId: dispute.id, decision: 'FOR_CLIENT' });
    for (let round = 2; round <= MAX_ROUNDS; round++) {
      h.clock.advance(HOUR + 1);
      expect(await h.deadline.execute(systemContext(), { disputeId: dispute.id })).toMatchObject({ kind: 'REPLACED', round, replaced: 2 });
    }
    h.clock.advance(HOUR + 1);
    expect(await h.deadline.execute(systemContext(), { disputeId: dispute.id })).toEqual({ kind: 'RESOLVED' });
    const [event] = (await outboxOf(h, 'DisputeResolved')).filter((e) => e.disputeId === dispute.id);
    expect(event).toMatchObject({ decision: 'FOR_CLIENT', majorityJurorIds: [voter] });
    // Seven seats were taken in all: the voter, and two no-shows per round.
    expect(await seatsOf(dispute.id)).toHaveLength(1 + 2 * MAX_ROUNDS);
  });

  it('uses the jury period in force when the jury is drawn (jury.votingPeriodSeconds)', async () => {
    await setParameter(h, 'jury.votingPeriodSeconds', '120');
    const [t, c] = [await holder(h, '1'), await holder(h, '1')];
    const dispute = await h.open.execute(as(t), { contractId: await contract(h, t, c), reason: REASON });
    const voteBy = await h.sql<{ vote_by: Date }>(`SELECT DISTINCT vote_by FROM dispute_jurors WHERE dispute_id = $1`, [dispute.id]);
    expect(voteBy).toEqual([{ vote_by: new Date(h.clock.now().getTime() + 120_000) }]);
    await setParameter(h, 'jury.votingPeriodSeconds', '3600');
  });
});

describe('Query.dispute', () => {
  it('shows a dispute to its parties, its jurors seated now and admins; FORBIDDEN for others; null when unknown', async () => {
    const [t, c] = [await holder(h, '1'), await holder(h, '1')];
    const dispute = await h.open.execute(as(c), { contractId: await contract(h, t, c), reason: REASON });
    const jurors = await currentJurors(dispute.id);
    for (const who of [as(t), as(c), as(jurors[0]), as(randomUUID(), ['ADMIN'])]) {
      expect(await h.reader.findVisible(who, dispute.id)).toMatchObject({ id: dispute.id, reason: REASON, status: 'VOTING', jurorIds: jurors, openedById: c });
    }
    expect(await codeOf(h.reader.findVisible(as(randomUUID()), dispute.id))).toBe('FORBIDDEN');
    expect(await h.reader.findVisible(as(t), randomUUID())).toBeNull();
    expect(await h.reader.findVisible(as(t), 'nope')).toBeNull();
  });
});
