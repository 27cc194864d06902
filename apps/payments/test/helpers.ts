import { makeMember, registerPersona, waitFor, type GraphQLClient, type Persona, type Stack } from '@talent/testing';

export const paymentsSql = <T = Record<string, any>>(stack: Stack, text: string, params?: unknown[]): Promise<T[]> =>
  stack.services.payments.sql<T>(text, params);

/** A member with these roles, once jobs has seen the KycApproved event (it posts, applies and hires only for members). */
export async function member(stack: Stack, admin: Persona, roles: string[], displayName = 'Member'): Promise<Persona> {
  const person = await registerPersona(stack, roles, displayName);
  await makeMember(stack, person, admin);
  await waitFor(async () => (await stack.services.jobs.sql('SELECT 1 FROM members WHERE user_id = $1', [person.id])).length > 0, 30_000, {
    message: `jobs learns that ${person.id} is a member`,
  });
  return person;
}

const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { id } }`;
const APPLY = `mutation ($jobId: ID!, $rate: MoneyInput!) { applyToJob(jobId: $jobId, coverLetter: "I can do this.", proposedRate: $rate) { id } }`;
const HIRE = `mutation ($id: ID!) { hire(applicationId: $id) { id status } }`;

/**
 * A real contract: the client posts a job, the talent applies at `rate`, the client hires;
 * returns once jobs' ContractStarted has reached payments' contracts projection (through Kafka).
 */
export async function hiredContract(
  stack: Stack,
  client: GraphQLClient,
  talent: GraphQLClient,
  unit: 'HOURLY' | 'FIXED',
  rate: string,
  currency = 'USD',
): Promise<string> {
  const { postJob } = await client.data<{ postJob: { id: string } }>(POST_JOB, {
    input: {
      title: `${unit} work for payments`,
      description: 'Build the first slice of the payments service.',
      skills: ['typescript'],
      minYearsExperience: 1,
      countries: [],
      budget: { min: { amount: '1', currency }, max: { amount: '5000', currency }, unit },
      hoursPerWeek: 20,
      durationWeeks: 4,
    },
  });
  const { applyToJob } = await talent.data<{ applyToJob: { id: string } }>(APPLY, { jobId: postJob.id, rate: { amount: rate, currency } });
  const { hire } = await client.data<{ hire: { id: string } }>(HIRE, { id: applyToJob.id });
  await waitFor(async () => (await paymentsSql(stack, 'SELECT 1 FROM contracts WHERE id = $1', [hire.id])).length > 0, 30_000, {
    message: `payments learns of contract ${hire.id}`,
  });
  return hire.id;
}

/** Outbox rows of the payments service about one aggregate, in commit order. */
export async function outboxOf(stack: Stack, aggregateId: string): Promise<Array<{ type: string; payload: any; published: boolean }>> {
  const rows = await paymentsSql<{ type: string; envelope: any; published_at: Date | null }>(
    stack,
    `SELECT type, envelope, published_at FROM outbox WHERE message_key = $1 ORDER BY seq`,
    [aggregateId],
  );
  return rows.map((r) => ({ type: r.type, payload: r.envelope.payload, published: r.published_at !== null }));
}

/** Charges the local provider recorded for an invoice. */
export async function chargesOf(stack: Stack, invoiceId: string): Promise<Array<{ id: string; status: string; amount: string }>> {
  return paymentsSql(stack, `SELECT id, status, amount::text AS amount FROM provider_charges WHERE reference = $1 ORDER BY created_at`, [invoiceId]);
}

/** Waits until the invoice reaches `status` (payment confirmations are asynchronous). */
export async function invoiceStatus(stack: Stack, invoiceId: string, status: string, timeoutMs = 20_000): Promise<Record<string, any>> {
  return waitFor(
    async () => {
      const [row] = await paymentsSql(stack, 'SELECT status, paid_at, failure_reason FROM invoices WHERE id = $1', [invoiceId]);
      return row?.status === status ? row : null;
    },
    timeoutMs,
    { message: `invoice ${invoiceId} becomes ${status}` },
  );
}

/**
 * POSTs a webhook to payments' provider endpoint, signed the Standard Webhooks way with
 * `secret` (the stack's by default) at `timestamp` (now by default).
 */
export async function postProviderWebhook(
  stack: Stack,
  webhook: { id: string; body: unknown; secret?: string; timestamp?: Date; signature?: string },
): Promise<{ status: number; json: any }> {
  const { Webhook } = await import('standardwebhooks');
  const body = JSON.stringify(webhook.body);
  const at = webhook.timestamp ?? new Date();
  const signature = webhook.signature ?? new Webhook(webhook.secret ?? stack.paymentWebhookSecret).sign(webhook.id, at, body);
  const response = await fetch(`${stack.services.payments.process.url}/webhooks/payment-provider`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': webhook.id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
  return { status: response.status, json: await response.json().catch(() => null) };
}
