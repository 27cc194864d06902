/**
 * The stake state machine, driven by jobs' events through the consumer path on a real
 * PostgreSQL: LOCKED -> SLASHED | RELEASED, or REJECTED; a settled stake is never touched again.
 */
import { randomUUID } from 'node:crypto';
import { ApplicationResolved, ApplicationSubmitted, createEvent, InterviewRecorded, type PayloadOf } from '@talent/events';
import { addMember, assertLedgerConsistent, balanceOf, fund, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { SystemAccounts } from '../ledger/accounts';

let h: RewardsHarness;
const now = () => new Date().toISOString();

beforeAll(async () => {
  h = await openRewards('staking');
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const submitted = (talentId: string, stake: string | null, applicationId = randomUUID()) =>
  createEvent(ApplicationSubmitted, {
    applicationId,
    jobId: randomUUID(),
    talentId,
    clientId: randomUUID(),
    proposedRate: { amount: '80', currency: 'USD' },
    stake,
    submittedAt: now(),
  });
const interview = (a: PayloadOf<typeof ApplicationSubmitted>, outcome: 'ATTENDED' | 'NO_SHOW') =>
  createEvent(InterviewRecorded, { applicationId: a.applicationId, jobId: a.jobId, talentId: a.talentId, outcome, stake: a.stake, recordedAt: now() });
const resolved = (a: PayloadOf<typeof ApplicationSubmitted>, status: 'HIRED' | 'DECLINED' | 'WITHDRAWN' | 'REJECTED', reason: string) =>
  createEvent(ApplicationResolved, { applicationId: a.applicationId, jobId: a.jobId, talentId: a.talentId, status, reason, stake: a.stake, resolvedAt: now() });

const stakeOf = async (applicationId: string) =>
  (await h.sql(`SELECT status, amount::text AS amount, rejection_reason FROM stakes WHERE application_id = $1`, [applicationId]))[0];
const eventsFor = async (applicationId: string) =>
  (await h.sql(`SELECT type, envelope->'payload' AS payload FROM outbox WHERE message_key = $1 ORDER BY seq`, [applicationId])).map((r) => ({
    type: r.type,
    ...r.payload,
  }));

describe('stakes', () => {
  let talent: string;

  beforeAll(async () => {
    talent = await addMember(h);
    await fund(h, talent, '100');
  });

  it('locks a stake from the available balance (StakeLocked, BalanceChanged)', async () => {
    const app = submitted(talent, '30');
    await h.deliver(app);
    expect(await stakeOf(app.payload.applicationId)).toEqual({ status: 'LOCKED', amount: '30.000000000000000000', rejection_reason: null });
    expect(await walletOf(h, talent)).toEqual({ balance: '100', locked: '30', available: '70' });
    expect(await eventsFor(app.payload.applicationId)).toEqual([expect.objectContaining({ type: 'StakeLocked', talentId: talent, amount: '30' })]);
    const [changed] = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'BalanceChanged' AND message_key = $1 ORDER BY seq DESC LIMIT 1`, [
      talent,
    ]);
    expect(changed.p).toMatchObject({ userId: talent, balance: '100', locked: '30' });
  });

  it('rejects a stake above the available balance, of a non-member, or of an invalid amount (StakeRejected)', async () => {
    const tooMuch = submitted(talent, '70.000000000000000001');
    await h.deliver(tooMuch);
    expect(await stakeOf(tooMuch.payload.applicationId)).toMatchObject({ status: 'REJECTED', rejection_reason: 'INSUFFICIENT_FUNDS' });
    expect(await eventsFor(tooMuch.payload.applicationId)).toEqual([
      expect.objectContaining({ type: 'StakeRejected', reason: 'INSUFFICIENT_FUNDS', amount: '70.000000000000000001' }),
    ]);

    const stranger = submitted(randomUUID(), '1');
    await h.deliver(stranger);
    expect(await eventsFor(stranger.payload.applicationId)).toEqual([expect.objectContaining({ type: 'StakeRejected', reason: 'NOT_A_MEMBER' })]);

    const zero = submitted(talent, '0');
    await h.deliver(zero);
    expect(await eventsFor(zero.payload.applicationId)).toEqual([expect.objectContaining({ type: 'StakeRejected', reason: 'INVALID_AMOUNT' })]);

    expect(await walletOf(h, talent)).toEqual({ balance: '100', locked: '30', available: '70' });
  });

  it('ignores applications without a stake', async () => {
    const app = submitted(talent, null);
    await h.deliver(app);
    expect(await stakeOf(app.payload.applicationId)).toBeUndefined();
    expect(await eventsFor(app.payload.applicationId)).toEqual([]);
  });

  it('slashes a locked stake to the treasury on a no-show, and never touches it again', async () => {
    const app = submitted(talent, '20');
    await h.deliver(app);
    const treasuryBefore = await balanceOf(h, SystemAccounts.treasury.id);
    await h.deliver(interview(app.payload, 'NO_SHOW'));
    expect(await stakeOf(app.payload.applicationId)).toMatchObject({ status: 'SLASHED' });
    expect(await walletOf(h, talent)).toEqual({ balance: '80', locked: '30', available: '50' });
    expect(Number(await balanceOf(h, SystemAccounts.treasury.id)) - Number(treasuryBefore)).toBe(20);
    expect((await h.core.supply.supply()).treasuryBalance).toBe(await balanceOf(h, SystemAccounts.treasury.id));

    // The application then resolves (declined for the no-show); events replayed under new ids too.
    await h.deliver(resolved(app.payload, 'DECLINED', 'NO_SHOW'));
    await h.deliver(interview(app.payload, 'NO_SHOW'));
    await h.deliver(resolved(app.payload, 'WITHDRAWN', 'WITHDRAWN'));
    expect(await walletOf(h, talent)).toEqual({ balance: '80', locked: '30', available: '50' });
    const events = await eventsFor(app.payload.applicationId);
    expect(events.map((e) => e.type)).toEqual(['StakeLocked', 'StakeSlashed']);
    const [credited] = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'TreasuryCredited' AND envelope->'payload'->>'reference' = $1`, [
      app.payload.applicationId,
    ]);
    expect(credited.p).toMatchObject({ amount: '20', source: 'STAKE_SLASH', reference: app.payload.applicationId });
  });

  it('releases a locked stake when the application resolves any other way, once', async () => {
    const app = submitted(talent, '10');
    await h.deliver(app);
    expect(await walletOf(h, talent)).toEqual({ balance: '80', locked: '40', available: '40' });
    await h.deliver(interview(app.payload, 'ATTENDED'));
    expect(await stakeOf(app.payload.applicationId)).toMatchObject({ status: 'LOCKED' });
    await h.deliver(resolved(app.payload, 'HIRED', 'HIRED'));
    expect(await stakeOf(app.payload.applicationId)).toMatchObject({ status: 'RELEASED' });
    expect(await walletOf(h, talent)).toEqual({ balance: '80', locked: '30', available: '50' });
    // A late no-show or a repeated resolution changes nothing.
    await h.deliver(interview(app.payload, 'NO_SHOW'));
    await h.deliver(resolved(app.payload, 'HIRED', 'HIRED'));
    expect(await walletOf(h, talent)).toEqual({ balance: '80', locked: '30', available: '50' });
    expect((await eventsFor(app.payload.applicationId)).map((e) => e.type)).toEqual(['StakeLocked', 'StakeReleased']);
  });

  it('a resubmitted application (same id) is not locked twice', async () => {
    const app = submitted(talent, '5');
    await h.deliver(app);
    await h.deliver(createEvent(ApplicationSubmitted, app.payload));
    expect(await walletOf(h, talent)).toEqual({ balance: '80', locked: '35', available: '45' });
    await assertLedgerConsistent(h);
  });

  it('shows the wallet entries newest first with keyset pagination; they add up to the balance', async () => {
    const first = await h.core.wallets.entries(talent, 3);
    expect(first.hasNextPage).toBe(true);
    const all = [...first.edges];
    let cursor = first.edges.at(-1)!.cursor;
    for (;;) {
      const page = await h.core.wallets.entries(talent, 3, cursor);
      all.push(...page.edges);
      if (!page.hasNextPage) break;
      cursor = page.edges.at(-1)!.cursor;
    }
    expect(new Set(all.map((e) => e.node.id)).size).toBe(all.length);
    expect(all.at(-1)!.node).toMatchObject({ kind: 'GRANT', amount: '100', reason: 'test.fund' });
    expect(all[0].node).toMatchObject({ kind: 'STAKE_LOCK', reference: expect.any(String) });
    const kinds = new Set(all.map((e) => e.node.kind));
    expect(kinds).toEqual(new Set(['GRANT', 'STAKE_LOCK', 'STAKE_SLASH', 'STAKE_RELEASE']));
    const slash = all.find((e) => e.node.kind === 'STAKE_SLASH')!;
    expect(slash.node.amount).toBe('-20');
    const total = all.reduce((sum, e) => sum + Number(e.node.amount), 0);
    expect(total).toBe(80);
    await expect(h.core.wallets.entries(talent, 3, 'not-a-cursor')).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});
