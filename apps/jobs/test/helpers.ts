import { makeMember, registerPersona, signInAdmin, startStack, waitFor, type GraphQLClient, type Persona, type Stack } from '@talent/testing';

/** Identity, jobs and the gateway on fresh databases, plus the bootstrap admin. */
export async function startJobsStack(): Promise<{ stack: Stack; admin: Persona }> {
  const stack = await startStack({ services: ['jobs'] });
  try {
    return { stack, admin: await signInAdmin(stack) };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

/**
 * A user with these roles whose KYC the admin approved, once jobs has seen the KycApproved
 * event (it reaches jobs through Kafka, asynchronously).
 */
export async function member(stack: Stack, admin: Persona, roles: string[], displayName = 'Member'): Promise<Persona> {
  const person = await registerPersona(stack, roles, displayName);
  await makeMember(stack, person, admin);
  await waitFor(async () => (await jobsSql(stack, 'SELECT 1 FROM members WHERE user_id = $1', [person.id])).length > 0, 30_000, {
    message: `jobs learns that ${person.id} is a member`,
  });
  return person;
}

export const jobsSql = <T = Record<string, any>>(stack: Stack, text: string, params?: unknown[]): Promise<T[]> => stack.services.jobs.sql<T>(text, params);

/** Outbox rows of the jobs service about one aggregate (or any of several), in commit order. */
export async function outboxOf(stack: Stack, aggregateIds: string[]): Promise<Array<{ type: string; payload: any; published: boolean }>> {
  const rows = await jobsSql<{ type: string; envelope: any; published_at: Date | null }>(
    stack,
    `SELECT type, envelope, published_at FROM outbox WHERE message_key = ANY($1::text[]) ORDER BY seq`,
    [aggregateIds],
  );
  return rows.map((r) => ({ type: r.type, payload: r.envelope.payload, published: r.published_at !== null }));
}

export const JOB_FIELDS = `id title description skills minYearsExperience countries
  budget { min { amount currency } max { amount currency } unit }
  hoursPerWeek durationWeeks status createdAt client { id } organization { id }`;

export const POST_JOB = `mutation ($input: PostJobInput!) { postJob(input: $input) { ${JOB_FIELDS} } }`;
export const CLOSE_JOB = `mutation ($id: ID!) { closeJob(id: $id) { id status } }`;
export const APPLY = `mutation ($jobId: ID!, $letter: String!, $rate: MoneyInput!, $stake: Decimal) {
  applyToJob(jobId: $jobId, coverLetter: $letter, proposedRate: $rate, stake: $stake) {
    id status coverLetter proposedRate { amount currency } stake createdAt job { id title } talent { id }
  }
}`;

export interface JobInput {
  title: string;
  description: string;
  skills: string[];
  minYearsExperience: number;
  countries: string[];
  budget: { min: { amount: string; currency: string }; max: { amount: string; currency: string }; unit: 'HOURLY' | 'FIXED' };
  rateTolerancePercent?: number | null;
  hoursPerWeek: number;
  durationWeeks: number;
  organizationId?: string | null;
}

export const jobInput = (overrides: Partial<JobInput> = {}): JobInput => ({
  title: 'Senior TypeScript engineer',
  description: 'Help us build a federated GraphQL platform on NestJS.',
  skills: ['TypeScript', 'GraphQL'],
  minYearsExperience: 3,
  countries: [],
  budget: { min: { amount: '60', currency: 'USD' }, max: { amount: '90', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 40,
  durationWeeks: 12,
  ...overrides,
});

export async function postJob(api: GraphQLClient, overrides: Partial<JobInput> = {}): Promise<{ id: string; [k: string]: any }> {
  return (await api.data<{ postJob: { id: string } }>(POST_JOB, { input: jobInput(overrides) })).postJob;
}

export async function apply(
  api: GraphQLClient,
  jobId: string,
  rate: { amount: string; currency: string } = { amount: '75', currency: 'USD' },
  letter = 'I have shipped three federated graphs.',
): Promise<{ id: string; status: string; [k: string]: any }> {
  return (await api.data<{ applyToJob: { id: string; status: string } }>(APPLY, { jobId, letter, rate })).applyToJob;
}
