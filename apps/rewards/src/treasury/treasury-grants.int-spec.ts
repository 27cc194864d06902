/**
 * Grants paid from the DAO treasury on a real PostgreSQL, through the consumer path:
 * governance's GrantApproved moves the amount from the treasury to the recipient's wallet once
 * per proposal, or is refused for good when the treasury cannot pay it; every treasury movement
 * (grant, fee buyback, stake slash) announces the treasury's balance after it.
 */
import { randomUUID } from 'node:crypto';
import {
  ApplicationSubmitted,
  createEvent,
  DeadLetterHeaders,
  FeesConverted,
  GrantApproved,
  InterviewRecorded,
  KycApproved,
  Topics,
  type EventEnvelope,
} from '@talent/events';
import { addMember, assertLedgerConsistent, balanceOf, fund, openRewards, walletOf, type RewardsHarness } from '../../test/harness';
import { SystemAccounts, walletAccounts } from '../ledger/accounts';
import { fromUnits, toUnits } from '@talent/platform';

let h: RewardsHarness;
const now = () => new Date().toISOString();

beforeAll(async () => {
  h = await openRewards('treasury_grants');
});

afterAll(async () => {
  await h?.close();
});

afterEach(() => {
  expect(h.deadLetters).toEqual([]);
});

const approved = (recipientId: string, amount: string, proposalId = randomUUID()) =>
  createEvent(GrantApproved, { proposalId, recipientId, amount, approvedAt: now() });
/** The same payload under a new event id: governance re-publishing, not the broker redelivering. */
const republished = (e: ReturnType<typeof approved>) => createEvent(GrantApproved, e.payload);
const kycApproved = (userId: string) => createEvent(KycApproved, { caseId: randomUUID(), userId, reviewerId: randomUUID(), country: 'US', approvedAt: now() });

/** Fills the treasury the real way: payments' fee buyback. */
const buyback = (btrstBought: string) =>
  h.deliver(
    createEvent(FeesConverted, {
      conversionId: randomUUID(),
      fees: { amount: '10', currency: 'USD' },
      usdcAmount: '10',
      price: '1',
      btrstBought,
      invoiceCount: 1,
      executedAt: now(),
    }),
  );

const treasury = () => balanceOf(h, SystemAccounts.treasury.id);
const grantPaid = async (proposalId: string) =>
  (await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'GrantPaid' AND message_key = $1 ORDER BY seq`, [proposalId])).map((r) => r.p);
const ledgerEntries = (proposalId: string) =>
  h.sql(`SELECT kind, reason, idempotency_key FROM ledger_transactions WHERE reference = $1 ORDER BY created_at`, [proposalId]);
const grantRow = async (proposalId: string) =>
  (await h.sql(`SELECT recipient_id, amount::text AS amount, status, refusal_reason FROM treasury_grants WHERE proposal_id = $1`, [proposalId]))[0];
/** The TreasuryBalanceChanged of a ledger entry (its treasury posting), with the posting it names. */
const treasuryChangesOf = (reference: string) =>
  h.sql(
    `SELECT o.envelope->'payload' AS event, p.amount::text AS posting_amount, p.balance_after::text AS posting_balance
       FROM outbox o
       LEFT JOIN ledger_postings p ON p.id = (o.envelope->'payload'->>'entryId')::uuid
      WHERE o.type = 'TreasuryBalanceChanged'
        AND p.transaction_id IN (SELECT id FROM ledger_transactions WHERE reference = $1)
      ORDER BY o.seq`,
    [reference],
  );
const takeDeadLetters = () =>
  h.deadLetters.splice(0).map((record) => {
    const { topic, messages } = record as { topic: string; messages: Array<{ headers: Record<string, string> }> };
    return { topic, failure: messages[0].headers[DeadLetterHeaders.failure], reason: messages[0].headers[DeadLetterHeaders.reason] };
  });

describe('a grant approved by governance', () => {
  it('moves the amount from the treasury to the recipient wallet in ONE GRANT entry, announced by GrantPaid, TreasuryBalanceChanged and BalanceChanged', async () => {
    await buyback('1000');
    const recipient = await addMember(h);
    await fund(h, recipient, '5');
    const before = await treasury();

    const event = approved(recipient, '250.000000000000000001');
    const { proposalId } = event.payload;
    await h.deliver(event);

    expect(toUnits(await treasury())).toBe(toUnits(before) - toUnits('250.000000000000000001'));
    expect(await walletOf(h, recipient)).toEqual({ balance: '255.000000000000000001', locked: '0', available: '255.000000000000000001' });
    expect(await ledgerEntries(proposalId)).toEqual([{ kind: 'GRANT', reason: 'treasury.grant', idempotency_key: `grant:${proposalId}` }]);
    expect(await grantRow(proposalId)).toEqual({ recipient_id: recipient, amount: '250.000000000000000001', status: 'PAID', refusal_reason: null });

    const [recipientPosting] = await h.sql(
      `SELECT p.id FROM ledger_postings p JOIN ledger_transactions t ON t.id = p.transaction_id WHERE t.reference = $1 AND p.account_id = $2`,
      [proposalId, walletAccounts(recipient).available],
    );
    expect(await grantPaid(proposalId)).toEqual([
      {
        proposalId,
        recipientId: recipient,
        amount: '250.000000000000000001',
        status: 'PAID',
        refusalReason: null,
        entryId: recipientPosting.id,
        paidAt: expect.any(String),
      },
    ]);
    // The treasury's balance after the entry: what the ledger holds now, and what the posting says.
    const changes = await treasuryChangesOf(proposalId);
    expect(changes).toEqual([
      {
        event: { entryId: expect.any(String), balance: await treasury(), delta: '-250.000000000000000001', reason: 'GRANT', changedAt: expect.any(String) },
        posting_amount: '-250.000000000000000001',
        posting_balance: expect.any(String),
      },
    ]);
    expect(toUnits(changes[0].posting_balance)).toBe(toUnits(changes[0].event.balance));
    const [walletChange] = await h.sql(
      `SELECT envelope->'payload' AS p FROM outbox WHERE type = 'BalanceChanged' AND message_key = $1 ORDER BY seq DESC LIMIT 1`,
      [recipient],
    );
    expect(walletChange.p).toMatchObject({ userId: recipient, balance: '255.000000000000000001', locked: '0', entryId: recipientPosting.id });
    // The public supply reads the same treasury.
    expect((await h.core.supply.supply()).treasuryBalance).toBe(await treasury());
    await assertLedgerConsistent(h);
  });

  it('pays once: redelivered, replayed under a new event id, and copies applied at once', async () => {
    await buyback('100');
    const recipient = await addMember(h);
    const before = await treasury();
    const first = approved(recipient, '30');
    await h.deliver(first);
    await h.deliver(first);
    await h.deliver(republished(first));
    await Promise.all([republished(first), republished(first), republished(first)].map((copy) => h.deliver(copy)));

    expect(toUnits(before) - toUnits(await treasury())).toBe(toUnits('30'));
    expect(await walletOf(h, recipient)).toMatchObject({ available: '30' });
    expect(await ledgerEntries(first.payload.proposalId)).toHaveLength(1);
    expect(await grantPaid(first.payload.proposalId)).toHaveLength(1);
    expect(await treasuryChangesOf(first.payload.proposalId)).toHaveLength(1);

    // Another proposal, first seen as several copies at once: the proposal's row lets one through.
    const other = approved(recipient, '7');
    await Promise.all([other, republished(other), republished(other)].map((copy) => h.deliver(copy)));
    expect(await walletOf(h, recipient)).toMatchObject({ available: '37' });
    expect(await grantPaid(other.payload.proposalId)).toEqual([expect.objectContaining({ status: 'PAID', amount: '7' })]);
    await assertLedgerConsistent(h);
  });

  it('refuses for good a grant larger than the treasury (INSUFFICIENT_TREASURY): nothing moves, no dead letter, a later replay pays nothing', async () => {
    const recipient = await addMember(h);
    const before = await treasury();
    const tooMuch = approved(recipient, fromUnits(toUnits(before) + 1n));
    const { proposalId } = tooMuch.payload;
    await h.deliver(tooMuch);

    expect(await treasury()).toBe(before);
    expect(await walletOf(h, recipient)).toMatchObject({ balance: '0' });
    expect(await ledgerEntries(proposalId)).toEqual([]);
    expect(await grantRow(proposalId)).toMatchObject({ status: 'REFUSED', refusal_reason: 'INSUFFICIENT_TREASURY' });
    expect(await grantPaid(proposalId)).toEqual([
      {
        proposalId,
        recipientId: recipient,
        amount: tooMuch.payload.amount,
        status: 'REFUSED',
        refusalReason: 'INSUFFICIENT_TREASURY',
        entryId: null,
        paidAt: expect.any(String),
      },
    ]);
    // Applied (in the inbox), not dead-lettered: the afterEach checks there is no dead letter.
    expect(await h.sql(`SELECT type FROM inbox WHERE event_id = $1`, [tooMuch.id])).toEqual([{ type: 'GrantApproved' }]);

    // The treasury grows; a replay of the refused proposal still pays nothing: the refusal stands.
    await buyback('1000000');
    const grown = await treasury();
    await h.deliver(republished(tooMuch));
    expect(await treasury()).toBe(grown);
    expect(await ledgerEntries(proposalId)).toEqual([]);
    expect(await grantPaid(proposalId)).toHaveLength(1);
    await assertLedgerConsistent(h);
  });

  it('colluding proposals cannot take more than the treasury holds, even executed at once', async () => {
    const [recipient, accomplice] = [await addMember(h), await addMember(h)];
    const held = toUnits(await treasury());
    const share = (held * 6n) / 10n; // two grants of 60% each: one can be paid, not both
    // Two recipients, so that nothing but the treasury's own balance stands between the two payments.
    const grants = [approved(recipient, fromUnits(share)), approved(accomplice, fromUnits(share))];
    await Promise.all(grants.map((g) => h.deliver(g)));

    const outcomes = await Promise.all(grants.map(async (g) => (await grantPaid(g.payload.proposalId))[0].status));
    expect([...outcomes].sort()).toEqual(['PAID', 'REFUSED']);
    expect(toUnits(await treasury())).toBe(held - share);
    const received = [(await walletOf(h, recipient)).available, (await walletOf(h, accomplice)).available].map(toUnits);
    expect(received[0] + received[1]).toBe(share);

    // Draining it exactly is allowed; one unit more than is left is not.
    const rest = toUnits(await treasury());
    await h.deliver(approved(recipient, fromUnits(rest + 1n)));
    expect(await treasury()).toBe(fromUnits(rest));
    const exact = approved(recipient, fromUnits(rest));
    await h.deliver(exact);
    expect(await treasury()).toBe('0');
    expect((await treasuryChangesOf(exact.payload.proposalId))[0].event).toMatchObject({ balance: '0', delta: fromUnits(-rest), reason: 'GRANT' });
    await assertLedgerConsistent(h);
  });

  it('waits for a recipient rewards does not know as a member yet, and pays when their KycApproved arrives', async () => {
    await buyback('50');
    const recipient = randomUUID();
    const before = await treasury();
    const event = approved(recipient, '12.5');
    const { proposalId } = event.payload;
    await h.deliver(event);

    expect(await treasury()).toBe(before);
    expect(await grantRow(proposalId)).toMatchObject({ status: 'AWAITING_MEMBERSHIP' });
    expect(await grantPaid(proposalId)).toEqual([]);

    const approval = kycApproved(recipient);
    await h.deliver(approval);
    await h.deliver(createEvent(KycApproved, approval.payload)); // a second approval settles nothing more
    expect(toUnits(before) - toUnits(await treasury())).toBe(toUnits('12.5'));
    expect(await walletOf(h, recipient)).toMatchObject({ available: '12.5' });
    expect(await grantRow(proposalId)).toMatchObject({ status: 'PAID' });
    expect(await grantPaid(proposalId)).toEqual([expect.objectContaining({ status: 'PAID', amount: '12.5' })]);
    // A replay once paid changes nothing.
    await h.deliver(republished(event));
    expect(await ledgerEntries(proposalId)).toHaveLength(1);
    await assertLedgerConsistent(h);
  });

  it('dead-letters a GrantApproved not from governance, or not on the governance topic, and pays nothing', async () => {
    await buyback('100');
    const recipient = await addMember(h);
    const before = await treasury();
    const genuine = approved(recipient, '10');
    const forged: EventEnvelope = { ...genuine, id: randomUUID(), source: 'rewards' };
    await h.deliver(forged);
    await h.deliver({ ...genuine, id: randomUUID(), source: 'jobs' }, Topics.governance);
    // The right source, sent on another service's topic (a compromised producer of jobs).
    await h.deliver({ ...genuine, id: randomUUID() }, Topics.jobs);

    expect(takeDeadLetters()).toEqual([
      { topic: `${h.topic(Topics.governance)}.dlq`, failure: 'forged', reason: expect.stringContaining('must come from governance') },
      { topic: `${h.topic(Topics.governance)}.dlq`, failure: 'forged', reason: expect.stringContaining('must come from governance') },
      { topic: `${h.topic(Topics.jobs)}.dlq`, failure: 'forged', reason: expect.stringContaining(`published on ${h.topic(Topics.governance)} only`) },
    ]);
    expect(await treasury()).toBe(before);
    expect(await walletOf(h, recipient)).toMatchObject({ balance: '0' });
    expect(await grantRow(genuine.payload.proposalId)).toBeUndefined();
    expect(await grantPaid(genuine.payload.proposalId)).toEqual([]);
  });

  it('dead-letters an amount that breaks the contract (zero, negative, over 18 decimals), paying nothing', async () => {
    const recipient = await addMember(h);
    const before = await treasury();
    const broken = [approved(recipient, '0'), approved(recipient, '-5'), approved(recipient, '1.0000000000000000001')];
    for (const e of broken) await h.deliver(e);
    expect(takeDeadLetters()).toEqual([
      { topic: `${h.topic(Topics.governance)}.dlq`, failure: 'permanent', reason: expect.stringContaining('out of range') },
      { topic: `${h.topic(Topics.governance)}.dlq`, failure: 'permanent', reason: expect.stringContaining('out of range') },
      { topic: `${h.topic(Topics.governance)}.dlq`, failure: 'permanent', reason: expect.stringContaining('at most 18 decimals') },
    ]);
    expect(await treasury()).toBe(before);
    for (const e of broken) expect(await grantRow(e.payload.proposalId)).toBeUndefined();
  });
});

describe('TreasuryBalanceChanged', () => {
  it('is published by a fee buyback with the treasury balance after it', async () => {
    const before = await treasury();
    const conversionId = randomUUID();
    await h.deliver(
      createEvent(FeesConverted, {
        conversionId,
        fees: { amount: '3', currency: 'USD' },
        usdcAmount: '3',
        price: '1',
        btrstBought: '3.25',
        invoiceCount: 1,
        executedAt: now(),
      }),
    );
    const after = fromUnits(toUnits(before) + toUnits('3.25'));
    expect(await treasury()).toBe(after);
    expect((await treasuryChangesOf(conversionId)).map((c) => c.event)).toEqual([
      { entryId: expect.any(String), balance: after, delta: '3.25', reason: 'FEE_CONVERSION', changedAt: expect.any(String) },
    ]);
  });

  it('is published by a stake slash with the treasury balance after it', async () => {
    const talent = await addMember(h);
    await fund(h, talent, '20');
    const application = createEvent(ApplicationSubmitted, {
      applicationId: randomUUID(),
      jobId: randomUUID(),
      talentId: talent,
      clientId: randomUUID(),
      proposedRate: { amount: '80', currency: 'USD' },
      stake: '4.5',
      submittedAt: now(),
    });
    await h.deliver(application);
    const before = await treasury();
    const { applicationId, jobId, stake } = application.payload;
    await h.deliver(createEvent(InterviewRecorded, { applicationId, jobId, talentId: talent, outcome: 'NO_SHOW', stake, recordedAt: now() }));

    const after = fromUnits(toUnits(before) + toUnits('4.5'));
    expect(await treasury()).toBe(after);
    expect((await treasuryChangesOf(applicationId)).map((c) => c.event)).toEqual([
      { entryId: expect.any(String), balance: after, delta: '4.5', reason: 'STAKE_SLASH', changedAt: expect.any(String) },
    ]);
  });

  it('orders concurrent movements as the ledger does: keeping the latest by changedAt gives the treasury balance', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => buyback(`1.${i + 1}`)));
    const events = (await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'TreasuryBalanceChanged'`)).map((r) => r.p);
    const seqOf = new Map(
      (await h.sql(`SELECT id, account_seq FROM ledger_postings WHERE account_id = $1`, [SystemAccounts.treasury.id])).map((r) => [
        r.id,
        Number(r.account_seq),
      ]),
    );
    const byTime = [...events].sort((a, b) => Date.parse(a.changedAt) - Date.parse(b.changedAt));
    const byLedger = [...events].sort((a, b) => seqOf.get(a.entryId)! - seqOf.get(b.entryId)!);
    expect(byTime.map((e) => e.entryId)).toEqual(byLedger.map((e) => e.entryId));
    // Strictly increasing: a consumer keeping "the latest" never drops one that shares a millisecond.
    for (let i = 1; i < byTime.length; i++) expect(Date.parse(byTime[i].changedAt)).toBeGreaterThan(Date.parse(byTime[i - 1].changedAt));
    expect(byTime.at(-1).balance).toBe(await treasury());
  });

  it('names, for every treasury entry, the posting whose balance_after and amount it carries', async () => {
    const events = await h.sql(`SELECT envelope->'payload' AS p FROM outbox WHERE type = 'TreasuryBalanceChanged' ORDER BY seq`);
    const postings = await h.sql(
      `SELECT p.id, p.amount::text AS amount, p.balance_after::text AS balance FROM ledger_postings p WHERE p.account_id = $1 ORDER BY p.account_seq`,
      [SystemAccounts.treasury.id],
    );
    // Every posting of the treasury is announced exactly once, with its own amount and balance.
    expect(postings.length).toBeGreaterThan(5);
    expect(events.map((e) => e.p.entryId).sort()).toEqual(postings.map((p) => p.id).sort());
    const byId = new Map(events.map((e) => [e.p.entryId, e.p]));
    for (const posting of postings) {
      const event = byId.get(posting.id);
      expect([toUnits(event.delta), toUnits(event.balance)]).toEqual([toUnits(posting.amount), toUnits(posting.balance)]);
    }
    await assertLedgerConsistent(h);
  });
});
