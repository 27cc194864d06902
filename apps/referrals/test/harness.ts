import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import {
  ApplicationSubmitted,
  ContractStarted,
  createEvent,
  JobClosed,
  JobPosted,
  RewardGranted,
  Topics,
  type EnvelopeOf,
  type EventDefinition,
  type EventEnvelope,
  type PayloadOf,
} from '@talent/events';
import { makeMember, registerPersona, signInAdmin, startStack, waitFor, type Persona, type Stack } from '@talent/testing';

/**
 * The real stack (identity, referrals, gateway as processes on PostgreSQL, Redis and the
 * test run's Kafka-protocol broker), plus what jobs and rewards would do: this harness
 * publishes their events itself, and listens to everything referrals publishes.
 */
export interface Harness {
  stack: Stack;
  admin: Persona;
  /** Every envelope seen on referrals.events.v1, in arrival order. */
  received: EventEnvelope[];
  /** Publishes as jobs and rewards would. */
  producer: Producer;
  stop(): Promise<void>;
}

export async function startHarness(referralsEnv: Record<string, string> = {}): Promise<Harness> {
  // These tests deliver jobs' and rewards' events themselves and wait until referrals applied them:
  // a short projection wait keeps the refusals of what does not exist quick (see PROJECTION_WAIT_MS).
  const stack = await startStack({ services: ['referrals'], env: { referrals: { PROJECTION_WAIT_MS: '500', ...referralsEnv } } });
  const received: EventEnvelope[] = [];
  let producer: Producer | undefined;
  let consumer: Consumer | undefined;
  const stop = async () => {
    await consumer?.disconnect().catch(() => undefined);
    await producer?.disconnect().catch(() => undefined);
    await stack.stop();
  };
  try {
    const kafka = new Kafka({ clientId: 'referrals-e2e', brokers: process.env.KAFKA_BROKERS!.split(','), logLevel: logLevel.NOTHING });
    producer = kafka.producer({ allowAutoTopicCreation: true, idempotent: false });
    await producer.connect();
    consumer = kafka.consumer({ groupId: `referrals-e2e-${randomUUID()}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: stack.topic(Topics.referrals), fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(JSON.parse(String(message.value))) });
    return { stack, admin: await signInAdmin(stack), received, producer, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** SQL on the referrals database, for waiting on projections and checks a user cannot make. */
export const referralsSql = <T = Record<string, any>>(h: Harness, text: string, params?: unknown[]): Promise<T[]> =>
  h.stack.services.referrals.sql<T>(text, params);

/** Waits until referrals applied the event (its id is in the inbox, committed with its effects). */
export const applied = (h: Harness, eventId: string): Promise<unknown> =>
  waitFor(async () => (await referralsSql(h, 'SELECT 1 FROM inbox WHERE event_id = $1', [eventId])).length > 0, 30_000, {
    message: `referrals applied event ${eventId}`,
  });

/** Sends an envelope as its producing service would (key = aggregate id) and waits until referrals applied it. */
export async function deliver(h: Harness, envelope: EventEnvelope, topic: string): Promise<void> {
  await redeliver(h, envelope, topic);
  await applied(h, envelope.id);
}

/** Sends an envelope without waiting for it to be applied (e.g. again: a redelivery, whose id the inbox already holds). */
export async function redeliver(h: Harness, envelope: EventEnvelope, topic: string): Promise<void> {
  await h.producer.send({ topic: h.stack.topic(topic), acks: -1, messages: [{ key: envelope.aggregateId, value: JSON.stringify(envelope) }] });
}

export async function publish<D extends EventDefinition>(h: Harness, definition: D, payload: PayloadOf<D>): Promise<EnvelopeOf<D>> {
  const envelope = createEvent(definition, payload);
  await deliver(h, envelope, definition.topic);
  return envelope;
}

/** Events referrals published of one type matching a predicate (payloads). */
export const eventsOf = (h: Harness, type: string, where: (payload: any) => boolean = () => true): any[] =>
  h.received.filter((e) => e.type === type && where(e.payload)).map((e) => e.payload);

/** Waits for exactly one such event (and returns its payload). */
export const awaitEvent = (h: Harness, type: string, where: (payload: any) => boolean): Promise<any> =>
  waitFor(() => eventsOf(h, type, where)[0], 20_000, { message: `${type} published` });

export const ME_CODE = `{ me { id referralCode } }`;

/** A member with a referral code (KYC approved by the admin, code issued by referrals). */
export async function member(h: Harness, roles: string[], displayName = 'Member', referralCode?: string): Promise<Persona & { code: string }> {
  const person = await registerPersona(h.stack, roles, displayName, referralCode);
  await makeMember(h.stack, person, h.admin);
  const code = await waitFor(async () => (await person.api.data(ME_CODE)).me.referralCode as string | null, 30_000, {
    message: `referral code for ${displayName}`,
  });
  return Object.assign(person, { code });
}

/** A registered user (not a member) that referrals already knows of. */
export async function registered(h: Harness, roles: string[], displayName = 'User', referralCode?: string): Promise<Persona> {
  const person = await registerPersona(h.stack, roles, displayName, referralCode);
  await waitFor(async () => (await referralsSql(h, 'SELECT 1 FROM users WHERE id = $1', [person.id])).length > 0, 30_000, {
    message: `referrals knows ${displayName}`,
  });
  return person;
}

/** A job posted by `clientId`, as jobs would announce it. */
export async function postJob(h: Harness, clientId: string): Promise<string> {
  const jobId = randomUUID();
  await publish(h, JobPosted, {
    jobId,
    clientId,
    organizationId: null,
    title: 'Senior TypeScript engineer',
    skills: ['typescript', 'graphql'],
    minYearsExperience: 3,
    countries: [],
    budget: { min: '60', max: '90', currency: 'USD', unit: 'HOURLY' },
    hoursPerWeek: 40,
    durationWeeks: 12,
    postedAt: new Date().toISOString(),
  });
  return jobId;
}

export const closeJob = (h: Harness, jobId: string, clientId: string, status: 'CLOSED' | 'FILLED' = 'CLOSED') =>
  publish(h, JobClosed, { jobId, clientId, status, closedAt: new Date().toISOString() });

/** An application, as jobs would announce it. */
export const applyToJob = (h: Harness, application: { jobId: string; talentId: string; clientId: string; submittedAt?: Date }) =>
  publish(h, ApplicationSubmitted, {
    applicationId: randomUUID(),
    jobId: application.jobId,
    talentId: application.talentId,
    clientId: application.clientId,
    proposedRate: { amount: '75.00', currency: 'USD' },
    stake: null,
    submittedAt: (application.submittedAt ?? new Date()).toISOString(),
  });

/** A hire, as jobs would announce it. */
export function hire(
  h: Harness,
  contract: { jobId: string; talentId: string; clientId: string; clientFirstHire?: boolean; value?: string; appliedAt?: Date; startedAt?: Date },
) {
  return publish(h, ContractStarted, contractStarted(contract));
}

/** `appliedAt` (when the hired application was submitted) defaults to now: after any referral the test made before hiring. */
export function contractStarted(contract: {
  jobId: string;
  talentId: string;
  clientId: string;
  clientFirstHire?: boolean;
  value?: string;
  appliedAt?: Date;
  startedAt?: Date;
}): PayloadOf<typeof ContractStarted> {
  return {
    contractId: randomUUID(),
    jobId: contract.jobId,
    applicationId: randomUUID(),
    clientId: contract.clientId,
    talentId: contract.talentId,
    rate: { amount: '75.00', currency: 'USD' },
    unit: 'HOURLY',
    estimatedValue: { amount: contract.value ?? '36000.00', currency: 'USD' },
    clientFirstHire: contract.clientFirstHire ?? false,
    appliedAt: (contract.appliedAt ?? new Date()).toISOString(),
    startedAt: (contract.startedAt ?? new Date()).toISOString(),
  };
}

/** A referral reward for one paid invoice, as rewards would announce it (reference = the invoice, source = the referral). */
export const grantReward = (h: Harness, grant: { referralId: string; connectorId: string; amount: string; policy?: string; grantId?: string }) =>
  publish(h, RewardGranted, {
    grantId: grant.grantId ?? randomUUID(),
    beneficiaryId: grant.connectorId,
    policy: grant.policy ?? 'connector.referral',
    amount: grant.amount,
    reference: randomUUID(),
    sourceId: grant.referralId,
    grantedAt: new Date().toISOString(),
  });

export const REFERRAL_FIELDS = 'id kind status rewardAmount invalidReason createdAt connector { id } referredUser { id }';
export const JOB_REFERRAL_FIELDS = 'id note status invalidReason rewardAmount createdAt job { id } connector { id } talent { id }';
export const MY_REFERRALS = `{ myReferrals { ${REFERRAL_FIELDS} } }`;
export const MY_JOB_REFERRALS = `{ myJobReferrals { ${JOB_REFERRAL_FIELDS} } }`;
export const REFER = `mutation ($jobId: ID!, $talentId: ID!, $note: String) {
  referTalentToJob(jobId: $jobId, talentId: $talentId, note: $note) { ${JOB_REFERRAL_FIELDS} }
}`;

/** Refers a talent to a job and returns the new job referral. */
export async function refer(connector: Persona, jobId: string, talentId: string, note?: string): Promise<any> {
  return (await connector.api.data(REFER, { jobId, talentId, note: note ?? null })).referTalentToJob;
}

export async function myReferrals(person: Persona): Promise<any[]> {
  return (await person.api.data(MY_REFERRALS)).myReferrals;
}

export async function myJobReferrals(person: Persona): Promise<any[]> {
  return (await person.api.data(MY_JOB_REFERRALS)).myJobReferrals;
}

/** One job referral of the connector, as they see it. */
export async function jobReferral(connector: Persona, id: string): Promise<any> {
  return (await myJobReferrals(connector)).find((r) => r.id === id);
}

/** The signup referral of `referredUserId`, as its connector sees it. */
export async function signupReferral(connector: Persona, referredUserId: string): Promise<any> {
  return (await myReferrals(connector)).find((r) => r.referredUser.id === referredUserId);
}
