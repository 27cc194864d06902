import { randomUUID } from 'node:crypto';
import { createInspector, errorCode, makeMember, registerPersona, signInAdmin, startStack, type Persona, type Stack } from '@talent/testing';

/*
 * Read-your-writes across services, through the gateway on the real stack: a command that
 * follows the write it depends on at once (a job posted, a member approved, a contract
 * started a moment ago in another service) succeeds without the client retrying, because the
 * service waits a bounded time (PROJECTION_WAIT_MS) for its projection to catch up. What truly
 * does not exist is NOT_FOUND after that bound.
 */
jest.setTimeout(120_000);

const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id status } }`;
const REFER = `mutation ($job: ID!, $talent: ID!) { referTalentToJob(jobId: $job, talentId: $talent) { id status } }`;
const APPLY = `mutation ($job: ID!) { applyToJob(jobId: $job, coverLetter: "I built two payment APIs.", proposedRate: { amount: "80", currency: "USD" }) { id status } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id } }`;
const SUBMIT_INVOICE = `mutation ($c: ID!) { submitInvoice(input: { contractId: $c, description: "Week 1", hours: 10 }) { id status } }`;
const jobInput = {
  title: 'TypeScript engineer for a payments API',
  description: 'Build a NestJS payments API with PostgreSQL and Kafka.',
  skills: ['TypeScript', 'NestJS'],
  minYearsExperience: 2,
  countries: [],
  budget: { min: { amount: '60', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 30,
  durationWeeks: 12,
};
// Generous for a loaded CI machine: the projections usually catch up well within a second.
const WAIT = { PROJECTION_WAIT_MS: '15000' };

describe('read-your-writes across services', () => {
  let stack: Stack;
  let inspector: Persona;
  let client: Persona;
  let jobId: string;

  beforeAll(async () => {
    stack = await startStack({ services: ['jobs', 'referrals', 'payments'], env: { jobs: WAIT, referrals: WAIT, payments: WAIT } });
    const admin = await signInAdmin(stack);
    inspector = await createInspector(stack, admin);
    await makeMember(stack, inspector, admin);
  }, 300_000); // four services on a busy machine can take close to the default timeout to start

  afterAll(async () => {
    await stack?.stop();
  });

  it('a client approved a moment ago posts a job at once, and a connector approved a moment ago refers a talent to it at once', async () => {
    client = await registerPersona(stack, ['CLIENT'], 'Quick Client');
    const connector = await registerPersona(stack, ['CONNECTOR'], 'Quick Connector');
    const talent = await registerPersona(stack, ['TALENT'], 'Quick Talent');
    await makeMember(stack, client, inspector);
    await makeMember(stack, connector, inspector);

    const posted = await client.api.request<{ postJob: { id: string; status: string } }>(POST_JOB, { input: jobInput });
    expect(posted.errors).toBeUndefined();
    jobId = posted.data!.postJob.id;

    // Referrals learns of the job (JobPosted), the connector's membership (KycApproved) and the talent (UserRegistered) through Kafka.
    const referred = await connector.api.request<{ referTalentToJob: { status: string } }>(REFER, { job: jobId, talent: talent.id });
    expect(referred.errors).toBeUndefined();
    expect(referred.data!.referTalentToJob.status).toBe('SIGNED_UP');
  });

  it('a talent approved a moment ago applies at once, and invoices the contract the moment it starts', async () => {
    const talent = await registerPersona(stack, ['TALENT'], 'Eager Talent');
    await makeMember(stack, talent, inspector);

    const applied = await talent.api.request<{ applyToJob: { id: string; status: string } }>(APPLY, { job: jobId });
    expect(applied.errors).toBeUndefined();
    const { hire } = await client.api.data<{ hire: { id: string } }>(HIRE, { id: applied.data!.applyToJob.id });

    // Payments learns of the contract through ContractStarted.
    const invoiced = await talent.api.request<{ submitInvoice: { status: string } }>(SUBMIT_INVOICE, { c: hire.id });
    expect(invoiced.errors).toBeUndefined();
    expect(invoiced.data!.submitInvoice.status).toBe('SUBMITTED');
  });

  it('what does not exist is NOT_FOUND once the bound has passed', async () => {
    const connector = await registerPersona(stack, ['CONNECTOR'], 'Late Connector');
    const talent = await registerPersona(stack, ['TALENT'], 'Some Talent');
    await makeMember(stack, connector, inspector);
    const [referral, invoice] = await Promise.all([
      connector.api.request(REFER, { job: randomUUID(), talent: talent.id }),
      talent.api.request(SUBMIT_INVOICE, { c: randomUUID() }),
    ]);
    expect(errorCode(referral)).toBe('NOT_FOUND');
    expect(errorCode(invoice)).toBe('NOT_FOUND');
  });
});
