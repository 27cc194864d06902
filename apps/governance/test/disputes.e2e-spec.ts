/**
 * Disputes end to end, through the gateway, on the real stack (identity, jobs, referrals,
 * rewards, payments, governance as processes): a party opens a dispute on a contract with
 * unpaid invoices (DISPUTED in payments), a jury drawn by voting power decides; FOR_TALENT
 * releases the invoices (approved and paid), FOR_CLIENT voids them; a juror who does not vote
 * in time is replaced; rewards pays `jury.reward` to the majority jurors only. Voting power
 * reaches governance as BalanceChanged envelopes the test publishes on rewards' topic.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { BalanceChanged, createEvent, type EventEnvelope } from '@talent/events';
import { approveAndSettle, errorCode, makeMember, registerPersona, signInAdmin, startStack, waitFor, type Persona, type Stack } from '@talent/testing';

jest.setTimeout(180_000);

const DISPUTE_FIELDS = `id status outcome reason createdAt resolvedAt jurors { id } openedBy { id } contract { id status }`;
const OPEN = `mutation ($c: ID!, $r: String!) { openDispute(contractId: $c, reason: $r) { ${DISPUTE_FIELDS} } }`;
const VOTE = `mutation ($d: ID!, $v: DisputeDecision!) { castJuryVote(disputeId: $d, decision: $v) { id status outcome } }`;
const DISPUTE = `query ($id: ID!) { dispute(id: $id) { ${DISPUTE_FIELDS} } }`;
/** What a juror reads (jobs shows the contract itself to its parties only). */
const JUROR_DISPUTE = `query ($id: ID!) { dispute(id: $id) { id status reason jurors { id } } }`;
const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($jobId: ID!) { applyToJob(jobId: $jobId, coverLetter: "I can do this.", proposedRate: { amount: "50", currency: "USD" }) { id } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id } }`;
const SUBMIT = `mutation ($c: ID!, $d: String!) { submitInvoice(input: { contractId: $c, description: $d, hours: 10 }) { id status } }`;
const APPROVE = `mutation ($id: ID!, $key: String!) { approveInvoice(invoiceId: $id, idempotencyKey: $key) { status } }`;
const INVOICES = `query ($id: ID!) { contract(id: $id) { invoices { id status } } }`;
const BALANCE = `{ me { wallet { balance } } }`;
const REASON = 'The work delivered does not match the agreed scope.';
const JURY_PERIOD_SECONDS = 6;

let stack: Stack;
let admin: Persona;
let producer: Producer;
let client: Persona;
let talent: Persona;
const holders: Persona[] = [];
const byId = (id: string) => holders.find((p) => p.id === id)!;

const sql = (service: string, text: string, params?: unknown[]) => stack.services[service].sql(text, params);

/** A KYC member, once jobs and governance have seen the approval. */
async function member(roles: string[], name: string): Promise<Persona> {
  const person = await registerPersona(stack, roles, name);
  await makeMember(stack, person, admin);
  for (const service of ['jobs', 'governance', 'rewards']) {
    await waitFor(async () => (await sql(service, 'SELECT 1 FROM members WHERE user_id = $1', [person.id])).length > 0, 30_000, {
      message: `${service} learns that ${name} is a member`,
    });
  }
  return person;
}

/** A contract hired through jobs, known to payments and governance, with two unpaid invoices. */
async function contractWithInvoices(): Promise<{ contractId: string; invoices: string[] }> {
  const { postJob } = await client.api.data(POST_JOB, {
    input: {
      title: 'Disputed work',
      description: 'Build a service that someone will dispute.',
      skills: ['typescript'],
      minYearsExperience: 1,
      countries: [],
      budget: { min: { amount: '10', currency: 'USD' }, max: { amount: '100', currency: 'USD' }, unit: 'HOURLY' },
      hoursPerWeek: 10,
      durationWeeks: 2,
    },
  });
  const { applyToJob } = await talent.api.data(APPLY, { jobId: postJob.id });
  const contractId: string = (await client.api.data(HIRE, { id: applyToJob.id })).hire.id;
  for (const service of ['payments', 'governance']) {
    await waitFor(async () => (await sql(service, 'SELECT 1 FROM contracts WHERE id = $1', [contractId])).length > 0, 30_000, {
      message: `${service} learns of contract ${contractId}`,
    });
  }
  const invoices: string[] = [];
  for (const week of ['Week 1', 'Week 2']) invoices.push((await talent.api.data(SUBMIT, { c: contractId, d: week })).submitInvoice.id);
  return { contractId, invoices };
}

const invoiceStatuses = async (contractId: string): Promise<string[]> =>
  ((await client.api.data(INVOICES, { id: contractId })).contract.invoices as Array<{ status: string }>).map((i) => i.status);
const invoicesBecome = (contractId: string, status: string) =>
  waitFor(async () => (await invoiceStatuses(contractId)).every((s) => s === status) || null, 30_000, {
    message: `the invoices of ${contractId} become ${status}`,
  });
const juryRewards = async (disputeId: string): Promise<string[]> =>
  (
    await sql(
      'rewards',
      `SELECT beneficiary_id FROM reward_grants WHERE policy_key = 'jury.reward' AND reference = $1 AND status = 'PAID' ORDER BY beneficiary_id`,
      [disputeId],
    )
  ).map((r) => r.beneficiary_id);
const balanceOf = async (p: Persona): Promise<number> => Number((await p.api.data(BALANCE)).me.wallet.balance);

beforeAll(async () => {
  stack = await startStack({ services: ['jobs', 'referrals', 'rewards', 'payments', 'governance'], env: { governance: { GOVERNANCE_JURY_SIZE: '3' } } });
  admin = await signInAdmin(stack);
  const kafka = new Kafka({ clientId: 'disputes-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
  producer = kafka.producer({ allowAutoTopicCreation: true });
  await producer.connect();
  // One at a time: the stack's SQL clients take one query at a time.
  client = await member(['CLIENT'], 'Client Cleo');
  talent = await member(['TALENT'], 'Talent Theo');
  // Five token holders who may sit on juries; their balances reach governance as rewards' BalanceChanged.
  for (const i of [1, 2, 3, 4, 5]) holders.push(await member(['TALENT'], `Holder ${i}`));
  const changedAt = new Date(Date.now() - 60_000).toISOString();
  for (const [i, h] of holders.entries()) {
    const envelope = createEvent(BalanceChanged, {
      userId: h.id,
      balance: String(100 * (i + 1)),
      locked: '0',
      entryId: randomUUID(),
      changedAt,
    }) as EventEnvelope;
    await producer.send({ topic: stack.topic(BalanceChanged.topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });
  }
  await waitFor(async () => (await sql('governance', 'SELECT count(*)::int AS n FROM balance_checkpoints'))[0].n >= holders.length, 30_000, {
    message: "governance records the holders' balances",
  });
  // A short jury period for the test (production: days), as an executed proposal would set it.
  await sql('governance', `UPDATE governance_parameters SET value = $1 WHERE key = 'jury.votingPeriodSeconds'`, [String(JURY_PERIOD_SECONDS)]);
}, 150_000);

afterAll(async () => {
  await producer?.disconnect();
  await stack?.stop();
});

describe('disputes decided by token-holder juries', () => {
  it('FOR_TALENT: refusals, the invoices held then released and paid, the majority jurors rewarded', async () => {
    const { contractId, invoices } = await contractWithInvoices();

    // Only a party may open a dispute.
    expect(errorCode(await holders[0].api.request(OPEN, { c: contractId, r: REASON }))).toBe('FORBIDDEN');
    expect(errorCode(await talent.api.request(OPEN, { c: contractId, r: 'too short' }))).toBe('BAD_USER_INPUT');

    const opened = (await talent.api.data(OPEN, { c: contractId, r: REASON })).openDispute;
    expect(opened).toMatchObject({
      status: 'VOTING',
      outcome: null,
      reason: REASON,
      resolvedAt: null,
      openedBy: { id: talent.id },
      contract: { id: contractId, status: 'ACTIVE' },
    });
    const jurors: string[] = opened.jurors.map((j: { id: string }) => j.id);
    expect(jurors).toHaveLength(3);
    for (const id of jurors) expect(holders.map((h) => h.id)).toContain(id);
    expect(errorCode(await talent.api.request(OPEN, { c: contractId, r: REASON }))).toBe('CONFLICT');

    // Payments holds the unpaid invoices: not approvable, and no new invoice while the dispute is open.
    await invoicesBecome(contractId, 'DISPUTED');
    expect(errorCode(await client.api.request(APPROVE, { id: invoices[0], key: `k-${randomUUID()}` }))).toBe('PRECONDITION_FAILED');
    expect(errorCode(await talent.api.request(SUBMIT, { c: contractId, d: 'Week 3' }))).toBe('PRECONDITION_FAILED');

    // Only the jurors vote; nobody else sees the dispute.
    const outsider = holders.find((h) => !jurors.includes(h.id))!;
    expect(errorCode(await outsider.api.request(VOTE, { d: opened.id, v: 'FOR_CLIENT' }))).toBe('FORBIDDEN');
    expect(errorCode(await client.api.request(VOTE, { d: opened.id, v: 'FOR_CLIENT' }))).toBe('FORBIDDEN');
    expect(errorCode(await outsider.api.request(JUROR_DISPUTE, { id: opened.id }))).toBe('FORBIDDEN');
    expect((await byId(jurors[0]).api.data(JUROR_DISPUTE, { id: opened.id })).dispute).toMatchObject({ id: opened.id, reason: REASON, status: 'VOTING' });

    await byId(jurors[0]).api.data(VOTE, { d: opened.id, v: 'FOR_TALENT' });
    expect(errorCode(await byId(jurors[0]).api.request(VOTE, { d: opened.id, v: 'FOR_CLIENT' }))).toBe('CONFLICT');
    await byId(jurors[1]).api.data(VOTE, { d: opened.id, v: 'FOR_CLIENT' });
    const decided = (await byId(jurors[2]).api.data(VOTE, { d: opened.id, v: 'FOR_TALENT' })).castJuryVote;
    expect(decided).toEqual({ id: opened.id, status: 'RESOLVED', outcome: 'FOR_TALENT' });

    // The invoices are approvable again, and paid.
    await invoicesBecome(contractId, 'SUBMITTED');
    for (const id of invoices) expect(await approveAndSettle(client.api, id, `key-${randomUUID()}`)).toBe('PAID');

    // The two jurors of the majority earn jury.reward; the minority juror does not.
    const majority = [jurors[0], jurors[2]].sort();
    await waitFor(async () => (await juryRewards(opened.id)).length === 2 || null, 30_000, { message: 'the majority jurors are rewarded' });
    expect(await juryRewards(opened.id)).toEqual(majority);
    expect(await balanceOf(byId(jurors[0]))).toBe(20);
    expect(await balanceOf(byId(jurors[1]))).toBe(0);
  });

  it('FOR_CLIENT after a no-show is replaced: the invoices are voided, the majority (not the no-shows) rewarded', async () => {
    const { contractId, invoices } = await contractWithInvoices();
    const opened = (await client.api.data(OPEN, { c: contractId, r: REASON })).openDispute;
    const [first, noShow1, noShow2]: string[] = opened.jurors.map((j: { id: string }) => j.id);
    await invoicesBecome(contractId, 'DISPUTED');
    await byId(first).api.data(VOTE, { d: opened.id, v: 'FOR_CLIENT' });

    // Two jurors let the period pass: the deadline job replaces them with the two other holders.
    const replaced = await waitFor(
      async () => {
        const { dispute } = await client.api.data(DISPUTE, { id: opened.id });
        const now: string[] = dispute.jurors.map((j: { id: string }) => j.id);
        return now.includes(noShow1) || now.includes(noShow2) ? null : now;
      },
      (JURY_PERIOD_SECONDS + 20) * 1000,
      { message: 'the jurors who did not vote are replaced' },
    );
    expect(replaced[0]).toBe(first);
    expect(replaced.slice(1).sort()).toEqual(
      holders
        .map((h) => h.id)
        .filter((id) => ![first, noShow1, noShow2].includes(id))
        .sort(),
    );
    expect(errorCode(await byId(noShow1).api.request(VOTE, { d: opened.id, v: 'FOR_TALENT' }))).toBe('FORBIDDEN');

    const decided = (await byId(replaced[1]).api.data(VOTE, { d: opened.id, v: 'FOR_CLIENT' })).castJuryVote;
    expect(decided).toEqual({ id: opened.id, status: 'RESOLVED', outcome: 'FOR_CLIENT' });
    expect((await talent.api.data(DISPUTE, { id: opened.id })).dispute).toMatchObject({
      status: 'RESOLVED',
      outcome: 'FOR_CLIENT',
      resolvedAt: expect.any(String),
    });

    // Voided: never charged.
    await invoicesBecome(contractId, 'VOIDED');
    expect(errorCode(await client.api.request(APPROVE, { id: invoices[0], key: `k-${randomUUID()}` }))).toBe('PRECONDITION_FAILED');
    expect(await sql('payments', `SELECT 1 FROM provider_charges WHERE reference = ANY($1)`, [invoices])).toEqual([]);

    await waitFor(async () => (await juryRewards(opened.id)).length === 2 || null, 30_000, { message: 'the majority jurors are rewarded' });
    expect(await juryRewards(opened.id)).toEqual([first, replaced[1]].sort());
    // The reason never left governance: no event carries it.
    expect(JSON.stringify(await sql('governance', `SELECT envelope FROM outbox`))).not.toContain('agreed scope');
  });
});
