import { randomUUID } from 'node:crypto';
import type { Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { BalanceChanged, createEvent, KycApproved, type EventEnvelope } from '@talent/events';
import { dataSourceOptions, EventConsumer } from '@talent/platform';
import { createTestDatabase, deliverEnvelope, type TestDatabase } from '@talent/testing';
import { GOVERNANCE_ENTITIES, GOVERNANCE_MIGRATIONS } from '../src/app.module';
import { CheckpointsHandler } from '../src/checkpoints/checkpoints.handler';
import { CheckpointsService } from '../src/checkpoints/checkpoints.service';
import { DelegationService } from '../src/delegation/delegation.service';
import { VotingPowerService } from '../src/delegation/voting-power.service';
import { MembersHandler } from '../src/members/members.handler';
import { MembersService } from '../src/members/members.service';

export const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export interface GovernanceHarness {
  db: TestDatabase;
  dataSource: DataSource;
  members: MembersService;
  checkpoints: CheckpointsService;
  delegation: DelegationService;
  power: VotingPowerService;
  /** Messages the consumer dead-lettered (tests expect none). */
  deadLetters: unknown[];
  /** Delivers an envelope through the service's consumer (inbox + @OnEvent handlers), without a broker. */
  deliver(envelope: EventEnvelope): Promise<void>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** A fresh governance database (migrations run) with the use cases and the event consumer wired on it. */
export async function openGovernance(label: string): Promise<GovernanceHarness> {
  const db = await createTestDatabase(`governance_${label}`);
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: db.url, entities: GOVERNANCE_ENTITIES, migrations: GOVERNANCE_MIGRATIONS, poolSize: 6, applicationName: `governance-${label}` }),
    logging: false,
  });
  await dataSource.initialize();
  const members = new MembersService(dataSource);
  const checkpoints = new CheckpointsService(dataSource);
  const delegation = new DelegationService(dataSource, members);
  const power = new VotingPowerService(dataSource);

  const deadLetters: unknown[] = [];
  const producer = { send: async (record: unknown) => void deadLetters.push(record) } as unknown as Producer;
  const consumer = new EventConsumer({} as Kafka, producer, dataSource, logger, { groupId: 'governance', maxWaitTimeInMs: 100, maxAttempts: 2, retryBaseMs: 5 });
  const membership = new MembersHandler(members);
  const balances = new CheckpointsHandler(checkpoints);
  consumer.on(KycApproved, (e, tx) => membership.onKycApproved(e as never, tx)).on(BalanceChanged, (e, tx) => balances.onBalanceChanged(e as never, tx));

  return {
    db,
    dataSource,
    members,
    checkpoints,
    delegation,
    power,
    deadLetters,
    deliver: (envelope) => deliverEnvelope(consumer, envelope),
    sql: (text, params) => dataSource.query(text, params as unknown[]),
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
}

/** A member, as if identity's KycApproved had been consumed. */
export async function addMember(h: GovernanceHarness, userId: string = randomUUID()): Promise<string> {
  await h.deliver(
    createEvent(KycApproved, { caseId: randomUUID(), userId, reviewerId: randomUUID(), country: 'US', approvedAt: new Date().toISOString() }) as EventEnvelope,
  );
  return userId;
}

/** Delivers a BalanceChanged (a new ledger entry unless `entryId` is given); returns the envelope. */
export async function balanceChanged(
  h: GovernanceHarness,
  userId: string,
  balance: string,
  changedAt: Date,
  entryId: string = randomUUID(),
): Promise<EventEnvelope> {
  const envelope = createEvent(BalanceChanged, { userId, balance, locked: '0', entryId, changedAt: changedAt.toISOString() }) as EventEnvelope;
  await h.deliver(envelope);
  return envelope;
}
