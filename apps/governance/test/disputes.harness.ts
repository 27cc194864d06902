import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import { ContractCompleted, ContractStarted, createEvent, JobReferralCreated, ReferralAttributed, type EventEnvelope, type Role } from '@talent/events';
import { type AuthUser, EventConsumer, EventPublisher, inTransaction } from '@talent/platform';
import { deliverEnvelope } from '@talent/testing';
import { GovernanceConfigSchema } from '../src/config';
import { GovernanceContractsHandler } from '../src/contracts/contracts.handler';
import { CastJuryVote } from '../src/disputes/cast-jury-vote';
import { GovernanceClock } from '../src/shared/clock';
import { DisputesReader } from '../src/disputes/disputes.reader';
import { JuryDeadline } from '../src/disputes/jury-deadline';
import { JuryScheduler } from '../src/disputes/jury.jobs';
import { JuryService } from '../src/disputes/jury.service';
import { OpenDispute } from '../src/disputes/open-dispute';
import { ResolveDispute } from '../src/disputes/resolve-dispute';
import { GovernanceParameters } from '../src/parameters/governance-parameters';
import { ReferralRelationsHandler } from '../src/referrals/referral-relations.handler';
import { addMember, balanceChanged, logger, openGovernance, type GovernanceHarness } from './harness';

/** A clock the test moves. */
export class TestClock extends GovernanceClock {
  constructor(private current: Date) {
    super();
  }

  override now(): Date {
    return new Date(this.current);
  }

  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}

/** Records the deadline jobs it is asked for instead of adding them to BullMQ. */
export class RecordingScheduler extends JuryScheduler {
  readonly scheduled: Array<{ disputeId: string; round: number; voteBy: Date }> = [];

  constructor() {
    super(logger);
  }

  override async deadline(disputeId: string, round: number, voteBy: Date): Promise<void> {
    this.scheduled.push({ disputeId, round, voteBy });
  }
}

export interface DisputesHarness extends GovernanceHarness {
  clock: TestClock;
  scheduler: RecordingScheduler;
  parameters: GovernanceParameters;
  jury: JuryService;
  open: OpenDispute;
  vote: CastJuryVote;
  deadline: JuryDeadline;
  reader: DisputesReader;
  /** Delivers jobs' and referrals' events through a consumer with governance's dispute projections. */
  deliverProjection(envelope: EventEnvelope): Promise<void>;
}

/** The governance harness plus the dispute use cases, wired by hand with a clock and a scheduler the test controls. */
export async function openDisputes(label: string, env: Record<string, string> = {}): Promise<DisputesHarness> {
  const h = await openGovernance(label);
  const config = GovernanceConfigSchema.parse({ DATABASE_URL: h.db.url, KAFKA_BROKERS: '127.0.0.1:9092', GOVERNANCE_JURY_SIZE: '3', GOVERNANCE_JURY_VOTING_PERIOD_SECONDS: '3600', ...env });
  const events = new EventPublisher();
  const parameters = new GovernanceParameters(config, h.dataSource, events);
  await parameters.onApplicationBootstrap();
  // Now, at the database's clock: balances recorded "a minute ago" count at the draw instant.
  const clock = new TestClock(new Date());
  const scheduler = new RecordingScheduler();
  const jury = new JuryService(h.power, parameters, events);
  const resolve = new ResolveDispute(events, logger);
  const open = new OpenDispute(h.dataSource, jury, parameters, scheduler, clock, events, logger, { PROJECTION_WAIT_MS: 0 });
  const vote = new CastJuryVote(h.dataSource, resolve, clock, logger);
  const deadline = new JuryDeadline(h.dataSource, jury, resolve, scheduler, clock, logger);
  const reader = new DisputesReader(h.dataSource);

  const producer = { send: async (record: unknown) => void h.deadLetters.push(record) } as unknown as Producer;
  const consumer = new EventConsumer({} as Kafka, producer, h.dataSource, logger, { groupId: 'governance', maxWaitTimeInMs: 100, maxAttempts: 2, retryBaseMs: 5 });
  const contracts = new GovernanceContractsHandler();
  const referrals = new ReferralRelationsHandler();
  consumer
    .on(ContractStarted, (e, tx) => contracts.onContractStarted(e as never, tx))
    .on(ContractCompleted, (e, tx) => contracts.onContractCompleted(e as never, tx))
    .on(ReferralAttributed, (e, tx) => referrals.onReferralAttributed(e as never, tx))
    .on(JobReferralCreated, (e, tx) => referrals.onJobReferralCreated(e as never, tx));

  return { ...h, clock, scheduler, parameters, jury, open, vote, deadline, reader, deliverProjection: (envelope) => deliverEnvelope(consumer, envelope) };
}

export const as = (id: string, roles: Role[] = ['TALENT']): AuthUser => ({ id, roles });

/** A member holding `balance` BTRST since a minute before the harness clock. */
export async function holder(h: DisputesHarness, balance: string): Promise<string> {
  const id = await addMember(h);
  await balanceChanged(h, id, balance, new Date(h.clock.now().getTime() - 60_000));
  return id;
}

/** A contract as jobs' ContractStarted announces it; returns its id. */
export async function contract(h: DisputesHarness, talentId: string, clientId: string): Promise<string> {
  const contractId = randomUUID();
  await h.deliverProjection(
    createEvent(ContractStarted, {
      contractId,
      jobId: randomUUID(),
      applicationId: randomUUID(),
      clientId,
      talentId,
      rate: { amount: '80.00', currency: 'USD' },
      unit: 'HOURLY',
      estimatedValue: { amount: '9600.00', currency: 'USD' },
      clientFirstHire: false,
      appliedAt: new Date().toISOString(),
      startedAt: new Date().toISOString(),
    }) as EventEnvelope,
  );
  return contractId;
}

/** A signup referral: `connectorId` referred `referredId`. */
export async function referred(h: DisputesHarness, connectorId: string, referredId: string, kind: 'SIGNUP' | 'JOB' = 'SIGNUP'): Promise<void> {
  const at = new Date().toISOString();
  await h.deliverProjection(
    (kind === 'SIGNUP'
      ? createEvent(ReferralAttributed, { referralId: randomUUID(), connectorId, referredUserId: referredId, kind: 'TALENT', attributedAt: at })
      : createEvent(JobReferralCreated, { jobReferralId: randomUUID(), jobId: randomUUID(), connectorId, talentId: referredId, createdAt: at })) as EventEnvelope,
  );
}

/** Sets a governance parameter in force (as an executed proposal would). */
export async function setParameter(h: DisputesHarness, key: string, value: string): Promise<void> {
  await inTransaction(h.dataSource, (tx) => tx.query(`UPDATE governance_parameters SET value = $2 WHERE key = $1`, [key, value]));
}

/** The outbox rows of governance of one type, in commit order. */
export async function outboxOf(h: DisputesHarness, type: string): Promise<any[]> {
  return (await h.sql(`SELECT envelope FROM outbox WHERE type = $1 ORDER BY seq`, [type])).map((r) => r.envelope.payload);
}
