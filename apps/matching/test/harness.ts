import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { EventEnvelope, JobPosted, PayloadOf } from '@talent/events';
import * as platform from '@talent/platform';
import { openServiceModule, type TestDatabase } from '@talent/testing';
import { MatchingModule } from '../src/app.module';
import { MatchingConfigSchema } from '../src/config';
import type { JobCriteria } from '../src/ranking/scoring';

export interface MatchingHarness {
  db: TestDatabase;
  dataSource: DataSource;
  /** The service as production builds it (its module), for the use cases a test calls directly (`app.get(X)`). */
  app: INestApplication;
  /** Messages the consumer dead-lettered (tests expect none unless they provoke them). */
  deadLetters: unknown[];
  /** This harness's name for a topic (a prefix of its own on the shared broker), as the consumer sees it. */
  topic(name: string): string;
  /** Delivers an envelope through the service's consumer (inbox + every @OnEvent handler of matching). */
  deliver(envelope: EventEnvelope): Promise<void>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

/** The matching service built from its production module on a fresh database; `env` on top (e.g. MATCHES_PER_JOB). */
export async function openMatching(label: string, options: { env?: Record<string, string> } = {}): Promise<MatchingHarness> {
  const service = await openServiceModule({
    platform,
    service: 'matching',
    label,
    configSchema: MatchingConfigSchema,
    module: (config) => MatchingModule.register(config),
    env: options.env,
  });
  return {
    db: service.db,
    dataSource: service.dataSource,
    app: service.app,
    deadLetters: service.deadLetters,
    topic: service.topic,
    deliver: (envelope) => service.deliver(envelope),
    sql: service.sql,
    close: service.close,
  };
}

/** The JobPosted payload of a job with these criteria (as jobs publishes it). */
export const jobPostedFor = (criteria: JobCriteria, clientId: string = randomUUID()): PayloadOf<typeof JobPosted> => ({
  jobId: criteria.id,
  clientId,
  organizationId: null,
  title: 'A job',
  skills: criteria.skills,
  minYearsExperience: criteria.minYearsExperience,
  countries: criteria.countries,
  budget: { min: criteria.budgetMin, max: criteria.budgetMax, currency: criteria.currency, unit: criteria.unit },
  hoursPerWeek: criteria.hoursPerWeek,
  durationWeeks: criteria.durationWeeks,
  postedAt: new Date().toISOString(),
});
