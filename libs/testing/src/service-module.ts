import type { DynamicModule, INestApplication, LoggerService, Type } from '@nestjs/common';
import { Test, type TestingModuleBuilder } from '@nestjs/testing';
import { EVENT_CATALOG, type EventEnvelope } from '@talent/events';
import { Queue } from 'bullmq';
import type { ProducerRecord } from 'kafkajs';
import { DataSource } from 'typeorm';
import { createTestDatabase, testRedisUrl, uniquePrefix, type TestDatabase } from './database';
import { deliverEnvelope, deliverEnvelopes, type MessageHandler } from './deliver';

/** What the harness needs of a service's config (structurally libs/platform's BaseConfig). */
interface ServiceConfig {
  SERVICE_NAME: string;
  LOG_LEVEL: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  REDIS_URL: string;
}

/**
 * The parts of libs/platform the harness reaches into, passed by the caller (`import * as platform
 * from '@talent/platform'`): libs/platform's own tests use this library, so it cannot import platform.
 */
export interface PlatformKit {
  MessagingService: Type<{ consumer: MessageHandler; producer: { send(record: ProducerRecord): Promise<unknown> } }>;
  JobQueue: Type<{ add(definition: { name: string }, data: any, options?: { jobId?: string; delay?: number }): Promise<string | undefined> }>;
  nestBootstrapOptions(config: ServiceConfig): { logger: LoggerService };
}

/** A job the service added to its queue (the call's arguments; the job itself is in Redis). */
export interface AddedJob {
  name: string;
  data: any;
  jobId?: string;
  delay?: number;
}

export interface ServiceModule<C extends ServiceConfig, K extends PlatformKit = PlatformKit> {
  db: TestDatabase;
  app: INestApplication;
  config: C;
  dataSource: DataSource;
  /** The consumer production runs (every `@OnEvent` handler of the app), also subscribed on the test run's broker. */
  consumer: InstanceType<K['MessagingService']>['consumer'];
  /** Dead letters the consumer sent to the broker (tests expect none unless they provoke them). */
  deadLetters: ProducerRecord[];
  /** This service's name for a topic (its KAFKA_TOPIC_PREFIX, unique to this harness, prepended). */
  topic(name: string): string;
  /** Jobs the service added, oldest first. The queue is paused: no worker runs them, tests call the processors themselves. */
  jobs: AddedJob[];
  /** Hands an envelope to the consumer as the broker would, on its own topic unless `topic` (unprefixed) says otherwise. */
  deliver(envelope: EventEnvelope, topic?: string): Promise<void>;
  /** Envelopes of one topic as one fetched batch. */
  deliverBatch(envelopes: EventEnvelope[]): Promise<void>;
  sql<T = Record<string, any>>(text: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export interface ServiceModuleOptions<C extends ServiceConfig, K extends PlatformKit> {
  platform: K;
  /** SERVICE_NAME; also names the test database. */
  service: string;
  label: string;
  /** The service's config schema: the environment below is validated as at start-up. */
  configSchema: { parse(env: Record<string, string>): C };
  /** The service's root module, as `main.ts` registers it. */
  module(config: C): DynamicModule;
  /** Environment on top of the test defaults (fresh database, the machine's Redis, the run's broker). */
  env?: Record<string, string>;
  /**
   * A database the test prepared (say, as a previous version of the service left it) instead of a
   * fresh one: the service runs its remaining migrations and start-up work over it. The caller owns
   * and drops it.
   */
  database?: TestDatabase;
  /** Replaces ports the test controls (a clock, a chain adapter); everything else is production's. */
  override?(builder: TestingModuleBuilder): TestingModuleBuilder;
}

/**
 * A service built from its production module (`Test.createTestingModule`) on a fresh database,
 * the machine's Redis and the test run's Kafka-protocol broker, under a topic prefix and Redis
 * prefix of its own: the consumer runs exactly the handlers production registers, the outbox relay
 * and BullMQ are the real ones. Events are delivered in-process through the consumer's public
 * `handle`, so a test knows when one is applied.
 */
export async function openServiceModule<C extends ServiceConfig, K extends PlatformKit>(options: ServiceModuleOptions<C, K>): Promise<ServiceModule<C, K>> {
  const { platform } = options;
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) throw new Error('KAFKA_BROKERS is not set: run through a jest project whose globalSetup starts a broker');
  const ownDatabase = !options.database;
  const db = options.database ?? (await createTestDatabase(`${options.service}_${options.label}`));
  const dropOwnDatabase = async () => {
    if (ownDatabase) await db.drop();
  };
  const topicPrefix = `${uniquePrefix(options.service)}.`;
  const redisPrefix = options.env?.REDIS_PREFIX ?? uniquePrefix(options.service);
  const env = {
    NODE_ENV: 'test',
    SERVICE_NAME: options.service,
    PORT: '0',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: db.url,
    DATABASE_POOL_SIZE: '6',
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: redisPrefix,
    KAFKA_BROKERS: brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    KAFKA_GROUP_ID: uniquePrefix(options.service),
    KAFKA_CONSUMER_MAX_WAIT_MS: '100',
    CONSUMER_RETRY_BASE_MS: '5',
    // No caller's token is verified in-process; the verifier only needs somewhere to point.
    JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json',
    PROJECTION_WAIT_MS: '0',
    ...options.env,
  };
  let config: C;
  try {
    config = options.configSchema.parse(env);
  } catch (error) {
    await dropOwnDatabase();
    throw error;
  }

  // Paused before the worker starts, so that jobs wait in Redis for the test to run them by hand.
  const redisUrl = new URL(config.REDIS_URL);
  // The service's queue: named after it, under its Redis prefix (see libs/platform JobQueueHost).
  const heldQueue = new Queue(config.SERVICE_NAME, {
    connection: { host: redisUrl.hostname, port: Number(redisUrl.port || 6379) },
    prefix: `${redisPrefix}:bull`,
  });

  let app: INestApplication | undefined;
  const close = async () => {
    try {
      await app?.close(); // closes the service's Redis connection too (RedisShutdown)
    } finally {
      // Even when the app fails to close (or never started): an open queue keeps its Redis connection, and jest waits on it.
      await heldQueue.obliterate({ force: true }).catch(() => undefined);
      await heldQueue.close();
      await dropOwnDatabase();
    }
  };
  await heldQueue.pause().catch(async (error: unknown) => {
    await close().catch(() => undefined);
    throw error;
  });
  let deadLetters: ProducerRecord[];
  let jobs: AddedJob[];
  let messaging: InstanceType<K['MessagingService']>;
  try {
    const { logger } = platform.nestBootstrapOptions(config);
    const builder = Test.createTestingModule({ imports: [options.module(config)] }).setLogger(logger);
    const moduleRef = await (options.override ? options.override(builder) : builder).compile();
    app = moduleRef.createNestApplication({ logger });
    messaging = app.get<InstanceType<K['MessagingService']>>(platform.MessagingService);
    deadLetters = recordDeadLetters(messaging);
    jobs = recordJobs(app, platform.JobQueue);
    await app.init();
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
  const dataSource = app.get(DataSource);
  const consumer = messaging.consumer;
  const topicOf = (envelope: EventEnvelope) => EVENT_CATALOG.get(envelope.type)?.topic ?? 'test';
  return {
    db,
    app,
    config,
    dataSource,
    consumer,
    deadLetters,
    jobs,
    topic: (name) => `${topicPrefix}${name}`,
    deliver: (envelope, topic = topicOf(envelope)) => deliverEnvelope(consumer, envelope, `${topicPrefix}${topic}`),
    deliverBatch: (envelopes) => deliverEnvelopes(consumer, envelopes, topicPrefix),
    sql: (text, params) => dataSource.query(text, params as unknown[]),
    close,
  };
}

/** The records the consumer dead-letters, still sent to the broker. */
function recordDeadLetters(messaging: InstanceType<PlatformKit['MessagingService']>): ProducerRecord[] {
  const records: ProducerRecord[] = [];
  const producer = messaging.producer;
  const send = producer.send.bind(producer);
  producer.send = (record) => {
    if (record.topic.endsWith('.dlq')) records.push(record);
    return send(record);
  };
  return records;
}

/** The jobs the service adds, still added to its queue. */
function recordJobs(app: INestApplication, token: PlatformKit['JobQueue']): AddedJob[] {
  const jobs: AddedJob[] = [];
  let queue: InstanceType<PlatformKit['JobQueue']>;
  try {
    queue = app.get(token);
  } catch {
    return jobs; // a service without jobs
  }
  const add = queue.add.bind(queue);
  queue.add = (definition, data, options = {}) => {
    jobs.push({
      name: definition.name,
      data,
      ...(options.jobId !== undefined && { jobId: options.jobId }),
      ...(options.delay !== undefined && { delay: options.delay }),
    });
    return add(definition, data, options);
  };
  return jobs;
}
