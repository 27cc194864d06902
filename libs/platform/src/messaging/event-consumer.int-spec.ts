import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import { Client } from 'pg';
import pino from 'pino';
import { Registry } from 'prom-client';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { z } from 'zod';
import { createEvent, deadLetterTopic, defineEvent, type EventDefinition, type EventEnvelope } from '@talent/events';
import { adminDatabaseUrl, createTestDatabase, databaseOutage, uniquePrefix, waitFor, type TestDatabase } from '@talent/testing';
import { PreconditionFailedError } from '../errors';
import { dataSourceOptions } from '../persistence';
import { EventConsumer } from './event-consumer';
import { createKafka, createProducer } from './kafka';

/*
 * What a consumer does when applying an event fails, against real PostgreSQL and the broker:
 * a transient failure (a lock held elsewhere, the database refusing connections) holds only the
 * failing partition and is retried until it passes, never dead-lettered; a domain refusal is
 * dead-lettered at once with its reason; `npm run dlq -- replay` re-drives a dead letter, which
 * is then applied once however often it is replayed.
 */

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const run = uniquePrefix('consumer');
const prefix = `${run}.`;
const BARE_TOPIC = 'ledger.v1';
const topic = `${prefix}${BARE_TOPIC}`;
const ROOT = path.resolve(__dirname, '../../../..');
/** The outage of the issue: 12 s without the database, against about 1.5 s of retries before. */
const OUTAGE_MS = 12_000;

const EntryPosted = defineEvent({
  type: 'TestEntryPosted',
  version: 1,
  topic: BARE_TOPIC,
  source: 'ledger-test',
  schema: z.object({ entryId: z.uuid(), account: z.string(), amount: z.number().int().positive() }),
  aggregateIdOf: (p) => p.entryId,
});
/** Refused with a domain error while the `closed` flag is set. */
const EntryRefused = defineEvent({
  type: 'TestEntryRefused',
  version: 1,
  topic: BARE_TOPIC,
  source: 'ledger-test',
  schema: z.object({ entryId: z.uuid() }),
  aggregateIdOf: (p) => p.entryId,
});
const catalog: ReadonlyMap<string, EventDefinition> = new Map([EntryPosted, EntryRefused].map((d) => [d.type, d as EventDefinition]));

class LedgerMigration1732700000000 implements MigrationInterface {
  name = 'LedgerMigration1732700000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE balances (account text PRIMARY KEY, total int NOT NULL DEFAULT 0)`);
    await q.query(`CREATE TABLE applied (n bigserial PRIMARY KEY, event_id uuid NOT NULL)`);
    await q.query(`CREATE TABLE flags (name text PRIMARY KEY, value boolean NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE balances, applied, flags');
  }
}

interface DeadLetter {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

const headerText = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v)]));

describe('event consumer: transient failures held and retried, refusals dead-lettered, dead letters replayed', () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const groupId = `${run}-ledger`;
  const registry = new Registry();
  let db: TestDatabase;
  let ds: DataSource;
  let kafka: Kafka;
  let producer: Producer;
  let consumer: EventConsumer;
  let dlqReader: Consumer;
  const deadLetters: DeadLetter[] = [];
  const handlerCalls = new Map<string, number>();

  const appliedCount = async (eventId: string): Promise<number> =>
    Number((await ds.query('SELECT count(*)::int AS n FROM applied WHERE event_id = $1', [eventId]))[0].n);
  const allApplied = async (ids: string[]): Promise<boolean> =>
    Number((await ds.query('SELECT count(DISTINCT event_id)::int AS n FROM applied WHERE event_id = ANY($1::uuid[])', [ids]))[0].n) === ids.length;
  const send = (event: EventEnvelope, partition: number, headers: IHeaders = {}) =>
    producer.send({ topic, acks: -1, messages: [{ key: event.aggregateId, value: JSON.stringify(event), partition, headers }] });
  /** Connections open to a database, seen from the server's administrative database. */
  const pgBackends = async (name: string): Promise<number> => {
    const admin = new Client({ connectionString: adminDatabaseUrl() });
    await admin.connect();
    try {
      return (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [name])).rows[0].n;
    } finally {
      await admin.end();
    }
  };
  const metric = async (name: string, labels: Record<string, string>): Promise<number> => {
    const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
    const found = values.find((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l));
    return found?.value ?? 0;
  };
  const dlq = (...args: string[]) =>
    promisify(execFile)(process.execPath, ['tools/dlq/dlq.mjs', ...args], {
      cwd: ROOT,
      env: { ...process.env, KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: prefix },
    });

  beforeAll(async () => {
    expect(brokers.length).toBeGreaterThan(0);
    db = await createTestDatabase('consumer_faults');
    ds = new DataSource({
      ...dataSourceOptions({
        url: db.url,
        entities: [],
        migrations: [LedgerMigration1732700000000],
        applicationName: 'consumer-faults-test',
        poolSize: 4,
        logger,
      }),
      logging: false,
    });
    await ds.initialize();
    await ds.query(`INSERT INTO balances (account) VALUES ('hot'), ('cold'), ('busy')`);
    await ds.query(`INSERT INTO flags (name, value) VALUES ('closed', true)`);

    kafka = createKafka({ clientId: run, brokers, logger });
    producer = createProducer(kafka);
    await producer.connect();
    // The topic exists before the groups join, with its partitions (the broker creates it on first use).
    await producer.send({ topic, acks: -1, messages: [{ value: 'warm-up: not an event' }] });
    const admin = kafka.admin();
    await admin.connect();
    const partitions = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0].partitions;
    await admin.disconnect();
    expect(partitions.length).toBeGreaterThanOrEqual(2);

    consumer = new EventConsumer(kafka, producer, ds, logger, {
      groupId,
      topicPrefix: prefix,
      maxWaitTimeInMs: 100,
      retryBaseMs: 50,
      retryMaxMs: 1_000,
      catalog,
      metrics: registry,
    })
      .on(EntryPosted, async (event, tx) => {
        const p = event.payload as z.infer<typeof EntryPosted.schema>;
        handlerCalls.set(event.id, (handlerCalls.get(event.id) ?? 0) + 1);
        // A row lock held elsewhere fails this statement (lock_not_available) instead of waiting.
        await tx.query(`SET LOCAL lock_timeout = '100ms'`);
        await tx.query('UPDATE balances SET total = total + $2 WHERE account = $1', [p.account, p.amount]);
        await tx.query('INSERT INTO applied (event_id) VALUES ($1)', [event.id]);
      })
      .on(EntryRefused, async (event, tx) => {
        handlerCalls.set(event.id, (handlerCalls.get(event.id) ?? 0) + 1);
        const [{ value }] = await tx.query(`SELECT value FROM flags WHERE name = 'closed'`);
        if (value) throw new PreconditionFailedError('the ledger is closed for this entry');
        await tx.query('INSERT INTO applied (event_id) VALUES ($1)', [event.id]);
      });

    dlqReader = kafka.consumer({ groupId: `${run}-dlq-reader`, maxWaitTimeInMs: 100 });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: deadLetterTopic(topic), fromBeginning: true });
    await Promise.all([
      consumer.start(),
      dlqReader.run({
        eachMessage: async ({ message }) => {
          deadLetters.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers: headerText(message.headers) });
        },
      }),
    ]);
    // The warm-up message is invalid: dead-lettered, which also shows both groups are consuming.
    await waitFor(() => deadLetters.length >= 1, 30_000, { message: 'warm-up message dead-lettered' });
  }, 60_000);

  afterAll(async () => {
    await consumer?.stop();
    await dlqReader?.disconnect();
    await producer?.disconnect();
    await ds?.destroy();
    await db?.drop();
  });

  it('holds only the partition whose event fails transiently, retries it until it passes, and dead-letters nothing', async () => {
    const dead = deadLetters.length;
    const locker = new Client({ connectionString: db.url });
    await locker.connect();
    try {
      // Another transaction holds the 'hot' account: every attempt at the hot entry fails with lock_not_available.
      await locker.query('BEGIN');
      await locker.query(`SELECT * FROM balances WHERE account = 'hot' FOR UPDATE`);
      const hot = createEvent(EntryPosted, { entryId: randomUUID(), account: 'hot', amount: 5 });
      const cold = Array.from({ length: 5 }, (_, i) => createEvent(EntryPosted, { entryId: randomUUID(), account: 'cold', amount: i + 1 }));
      await send(hot, 0);
      // Behind the hot entry on its partition: must wait for it (order within a partition).
      const behind = createEvent(EntryPosted, { entryId: randomUUID(), account: 'cold', amount: 100 });
      await send(behind, 0);
      for (const event of cold) await send(event, 1);

      // The other partition flows while partition 0 is held.
      await waitFor(() => allApplied(cold.map((e) => e.id)), 20_000, { message: 'partition 1 applied' });
      await waitFor(() => (handlerCalls.get(hot.id) ?? 0) >= 3, 20_000, { message: 'the hot entry retried' });
      expect(consumer.heldPartitions).toEqual([`${topic}|0`]);
      expect(await metric('event_consumer_partition_paused', { topic, partition: '0' })).toBe(1);
      expect(await metric('event_consumer_retries_total', { topic, failure: 'transient' })).toBeGreaterThanOrEqual(2);
      expect(await appliedCount(hot.id)).toBe(0);
      expect(await appliedCount(behind.id)).toBe(0);

      await locker.query('COMMIT');
      await waitFor(() => allApplied([hot.id, behind.id]), 20_000, { message: 'partition 0 applied once the lock is gone' });
      expect(await appliedCount(hot.id)).toBe(1);
      expect(await appliedCount(behind.id)).toBe(1);
      expect(consumer.heldPartitions).toEqual([]);
      expect(await metric('event_consumer_partition_paused', { topic, partition: '0' })).toBe(0);
      const totals = await ds.query(`SELECT account, total FROM balances WHERE account IN ('hot', 'cold') ORDER BY account`);
      expect(totals).toEqual([
        { account: 'cold', total: 115 },
        { account: 'hot', total: 5 },
      ]);
      expect(deadLetters.length).toBe(dead);
    } finally {
      await locker.end();
    }
  });

  it(`loses nothing when its database refuses every connection for ${OUTAGE_MS / 1000} s: each event is retried until applied, once`, async () => {
    const dead = deadLetters.length;
    const retries = consumer.stats.retries;
    const events = Array.from({ length: 6 }, (_, i) => createEvent(EntryPosted, { entryId: randomUUID(), account: 'busy', amount: 10 + i }));
    // This service's database only (others share the server): no new connections, and the pool's are cut.
    const outage = databaseOutage(db.name, OUTAGE_MS);
    await waitFor(async () => (await pgBackends(db.name)) === 0, 10_000, { message: 'the database is cut off' });
    for (const [i, event] of events.entries()) await send(event, i % 2);
    await waitFor(() => consumer.heldPartitions.length === 2, 20_000, { message: 'both partitions held' });
    await outage;
    expect(consumer.stats.retries).toBeGreaterThan(retries + 4);

    await waitFor(() => allApplied(events.map((e) => e.id)), 30_000, { message: 'every event applied after the outage' });
    for (const event of events) expect(await appliedCount(event.id)).toBe(1);
    const [{ total }] = await ds.query(`SELECT total FROM balances WHERE account = 'busy'`);
    expect(total).toBe(events.reduce((sum, e) => sum + (e.payload as { amount: number }).amount, 0));
    await waitFor(() => consumer.heldPartitions.length === 0, 10_000, { message: 'partitions released' });
    expect(deadLetters.length).toBe(dead);
    expect(await metric('event_consumer_dead_letters_total', { topic, failure: 'permanent' })).toBe(0);
  }, 90_000);

  let refused: EventEnvelope;

  it('dead-letters a domain refusal at once, with the reason, the error class and where it came from', async () => {
    refused = createEvent(EntryRefused, { entryId: randomUUID() });
    await send(refused, 1, { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' });
    const letter = await waitFor(() => deadLetters.find((d) => d.key === refused.aggregateId), 20_000, { message: 'refusal dead-lettered' });

    expect(handlerCalls.get(refused.id)).toBe(1);
    expect(letter.headers).toMatchObject({
      'dlq-reason': 'handler refused the event: the ledger is closed for this entry',
      'dlq-failure': 'permanent',
      'dlq-error-class': 'PreconditionFailedError',
      'dlq-event-id': refused.id,
      'dlq-event-type': 'TestEntryRefused',
      'dlq-source-topic': topic,
      'dlq-source-partition': '1',
      'dlq-consumer-group': groupId,
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    });
    expect(letter.headers['dlq-source-offset']).toMatch(/^\d+$/);
    expect(new Date(letter.headers['dlq-failed-at']).getTime()).not.toBeNaN();
    expect(JSON.parse(letter.value!)).toEqual(refused);
    expect(await appliedCount(refused.id)).toBe(0);
    expect(await ds.query('SELECT event_id FROM inbox WHERE event_id = $1', [refused.id])).toEqual([]);
    expect(await metric('event_consumer_dead_letters_total', { topic, failure: 'permanent' })).toBe(1);
    expect(await metric('event_consumer_dead_letters_total', { topic, failure: 'invalid' })).toBe(1); // the warm-up message
  });

  it('`npm run dlq -- list` shows it; `replay` applies it once the cause is fixed; a second replay changes nothing', async () => {
    const listed = JSON.parse((await dlq('list', '--topic', BARE_TOPIC, '--json')).stdout) as Array<Record<string, unknown>>;
    expect(listed).toContainEqual(
      expect.objectContaining({
        eventId: refused.id,
        eventType: 'TestEntryRefused',
        group: groupId,
        failure: 'permanent',
        errorClass: 'PreconditionFailedError',
        reason: 'handler refused the event: the ledger is closed for this entry',
        source: expect.objectContaining({ topic, partition: '1' }),
      }),
    );

    // The cause is fixed, then the dead letter replayed.
    await ds.query(`UPDATE flags SET value = false WHERE name = 'closed'`);
    const applied = consumer.stats.applied;
    const { stdout } = await dlq('replay', '--topic', BARE_TOPIC, '--event', refused.id);
    expect(stdout).toContain('1 dead letter(s) replayed');
    await waitFor(async () => (await appliedCount(refused.id)) === 1, 20_000, { message: 'replayed event applied' });
    expect(consumer.stats.applied).toBe(applied + 1);
    expect(handlerCalls.get(refused.id)).toBe(2);

    // Replayed again (the whole topic this time): the inbox knows it, nothing changes.
    const duplicates = consumer.stats.duplicates;
    const dead = deadLetters.length;
    await dlq('replay', '--topic', BARE_TOPIC);
    await waitFor(() => consumer.stats.duplicates >= duplicates + 1, 20_000, { message: 'second replay consumed' });
    expect(await appliedCount(refused.id)).toBe(1);
    expect(consumer.stats.applied).toBe(applied + 1);
    expect(handlerCalls.get(refused.id)).toBe(2);
    // The invalid warm-up message, replayed too, is refused again: dead-lettered anew, nothing applied.
    await waitFor(() => deadLetters.length >= dead + 1, 20_000, { message: 'invalid message dead-lettered again' });
    expect(deadLetters.slice(dead).map((d) => d.headers['dlq-failure'])).toEqual(['invalid']);
  });

  it('a dead letter replayed for another consumer group is not applied by this one', async () => {
    const other = createEvent(EntryPosted, { entryId: randomUUID(), account: 'cold', amount: 1 });
    const ignoredBefore = await metric('event_consumer_messages_total', { topic, outcome: 'ignored' });
    await send(other, 1, { 'dlq-replay-for': 'some-other-group' });
    await waitFor(async () => (await metric('event_consumer_messages_total', { topic, outcome: 'ignored' })) > ignoredBefore, 20_000, {
      message: 'replay for another group skipped',
    });
    expect(await appliedCount(other.id)).toBe(0);
  });

  it("applies a partition's batch in one transaction; a refusal in its middle is dead-lettered once, the events around it applied once each", async () => {
    await ds.query(`UPDATE flags SET value = true WHERE name = 'closed'`);
    await ds.query(`INSERT INTO balances (account) VALUES ('batched')`);
    const dead = deadLetters.length;
    const before = Array.from({ length: 3 }, (_, i) => createEvent(EntryPosted, { entryId: randomUUID(), account: 'batched', amount: i + 1 }));
    const refusal = createEvent(EntryRefused, { entryId: randomUUID() });
    const after = Array.from({ length: 3 }, (_, i) => createEvent(EntryPosted, { entryId: randomUUID(), account: 'batched', amount: 10 + i }));
    // One produce request: the consumer fetches them as one batch, a redelivered copy of the first included.
    const batch = [...before, refusal, ...after, before[0]];
    await producer.send({ topic, acks: -1, messages: batch.map((e) => ({ key: e.aggregateId, value: JSON.stringify(e), partition: 1 })) });

    await waitFor(() => allApplied([...before, ...after].map((e) => e.id)), 20_000, { message: 'batch applied' });
    await waitFor(() => deadLetters.length > dead, 20_000, { message: 'refusal dead-lettered' });
    expect(deadLetters.slice(dead).map((d) => d.headers['dlq-event-id'])).toEqual([refusal.id]);
    expect(handlerCalls.get(refusal.id)).toBe(1);
    for (const e of [...before, ...after]) expect(await appliedCount(e.id)).toBe(1);
    expect((await ds.query(`SELECT total FROM balances WHERE account = 'batched'`))[0].total).toBe(1 + 2 + 3 + 10 + 11 + 12);
    // Applied together: the events before the refusal in one transaction, those after it in another.
    const transactions = async (events: EventEnvelope[]) =>
      (await ds.query(`SELECT count(DISTINCT xmin::text)::int AS n FROM inbox WHERE event_id = ANY($1::uuid[])`, [events.map((e) => e.id)]))[0].n;
    expect(await transactions(before)).toBe(1);
    expect(await transactions(after)).toBe(1);
  });
});
