import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { DataSource } from 'typeorm';
import { BalanceChanged, createEvent, KycApproved, type EventEnvelope } from '@talent/events';
import * as platform from '@talent/platform';
import { openServiceModule, type AddedJob, type TestDatabase } from '@talent/testing';
import { GovernanceModule } from '../src/app.module';
import { CheckpointsService } from '../src/checkpoints/checkpoints.service';
import { GovernanceConfigSchema } from '../src/config';
import { DelegateVotes } from '../src/delegation/delegate-votes';
import { DelegationService } from '../src/delegation/delegation.service';
import { VotingPowerService } from '../src/delegation/voting-power.service';

export interface GovernanceHarness {
  db: TestDatabase;
  dataSource: DataSource;
  /** The service as production builds it (its module), for the use cases a test calls directly. */
  app: INestApplication;
  checkpoints: CheckpointsService;
  delegation: DelegationService;
  delegateVotes: DelegateVotes;
  power: VotingPowerService;
  /** Messages the consumer dead-lettered (tests expect none). */
  deadLetters: unknown[];
  /** Jobs the service added; the queue is held, so tests run transitions and deadlines themselves. */
  jobs: AddedJob[];
  /** Delivers an envelope through the service's consumer (inbox + every @OnEvent handler of governance). */
  deliver(envelope: EventEnvelope): Promise<void>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface GovernanceOptions {
  env?: Record<string, string>;
  /** Ports the test controls (the clock). */
  override?(builder: TestingModuleBuilder): TestingModuleBuilder;
}

/** The governance service built from its production module on a fresh database. */
export async function openGovernance(label: string, options: GovernanceOptions = {}): Promise<GovernanceHarness> {
  const service = await openServiceModule({
    platform,
    service: 'governance',
    label,
    configSchema: GovernanceConfigSchema,
    module: (config) => GovernanceModule.register(config),
    env: options.env,
    override: options.override,
  });
  return {
    db: service.db,
    dataSource: service.dataSource,
    app: service.app,
    checkpoints: service.app.get(CheckpointsService),
    delegation: service.app.get(DelegationService),
    delegateVotes: service.app.get(DelegateVotes),
    power: service.app.get(VotingPowerService),
    deadLetters: service.deadLetters,
    jobs: service.jobs,
    deliver: (envelope) => service.deliver(envelope),
    sql: service.sql,
    close: service.close,
  };
}

/** A member (identity's KycApproved, consumed). */
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
