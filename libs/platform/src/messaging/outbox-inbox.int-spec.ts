import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { Column, DataSource, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { z } from 'zod';
import { createEvent, deadLetterTopic, defineEvent, type EventDefinition, type EventEnvelope } from '@talent/events';
import { createTestDatabase, deliverEnvelope, uniquePrefix, waitFor, type TestDatabase } from '@talent/testing';
import { ConflictError } from '../errors';
import { dataSourceOptions, inTransaction, type PersistenceOptions } from '../persistence';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { createKafka, createProducer } from './kafka';
import { OutboxRelay } from './outbox-relay';

/*
 * Two services, each with its own PostgreSQL database, talking through the Kafka-protocol
 * broker: the producer changes accounts and appends an event to its outbox in the same
 * transaction; the relay publishes the outbox; the consumer applies each event in one
 * transaction with its inbox record.
 */

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const run = uniquePrefix('outbox');
const topic = `${run}.accounts.v1`;

const AccountCredited = defineEvent({
  type: 'TestAccountCredited',
  version: 1,
  topic,
  source: 'accounts-test',
  schema: z.object({ accountId: z.uuid(), amount: z.number().int().positive(), sequence: z.number().int().nonnegative() }),
  aggregateIdOf: (p) => p.accountId,
});
/** Its handler fails (plain Error) for the first `failures` attempts. */
const PayoutRequested = defineEvent({
  type: 'TestPayoutRequested',
  version: 1,
  topic,
  source: 'accounts-test',
  schema: z.object({ payoutId: z.uuid(), failures: z.number().int().nonnegative() }),
  aggregateIdOf: (p) => p.payoutId,
});
/** Its handler refuses it with a domain error (a permanent failure). */
const AccountMerged = defineEvent({
  type: 'TestAccountMerged',
  version: 1,
  topic,
  source: 'accounts-test',
  schema: z.object({ accountId: z.uuid() }),
  aggregateIdOf: (p) => p.accountId,
});
const catalog: ReadonlyMap<string, EventDefinition> = new Map([AccountCredited, PayoutRequested, AccountMerged].map((d) => [d.type, d as EventDefinition]));

@Entity({ name: 'accounts' })
class Account {
  @PrimaryColumn('uuid')
  id: string;

  @Column('int')
  balance: number;

  @Column({ name: 'last_sequence', type: 'int' })
  lastSequence: number;
}

class AccountsMigration1732600000000 implements MigrationInterface {
  name = 'AccountsMigration1732600000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE accounts (id uuid PRIMARY KEY, balance int NOT NULL, last_sequence int NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE accounts');
  }
}

/** No unique constraint on event_id on purpose: only the inbox stands between a redelivery and a double apply. */
class AppliedMigration1732600000001 implements MigrationInterface {
  name = 'AppliedMigration1732600000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE applied (
        n bigserial PRIMARY KEY,
        event_id uuid NOT NULL,
        kind text NOT NULL,
        aggregate_id uuid NOT NULL,
        sequence int,
        amount int
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE applied');
  }
}

interface AppliedRow {
  event_id: string;
  kind: string;
  aggregate_id: string;
  sequence: number | null;
  amount: number | null;
}

interface DeadLetter {
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

const headerText = (headers: IHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String).join(',') : String(v)]));

async function openDataSource(db: TestDatabase, applicationName: string, migration: new () => MigrationInterface, entities: PersistenceOptions['entities']) {
  const dataSource = new DataSource({
    ...dataSourceOptions({ url: db.url, entities, migrations: [migration], applicationName, poolSize: 8 }),
    logging: ['error'],
  });
  await dataSource.initialize();
  return dataSource;
}

describe('outbox and inbox across two services and the broker', () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const publisher = new EventPublisher();

  let producerDb: TestDatabase;
  let consumerDb: TestDatabase;
  let producerDs: DataSource;
  let consumerDs: DataSource;
  let producerKafka: Kafka;
  let consumerKafka: Kafka;
  let relayProducer: Producer;
  let consumerProducer: Producer;
  let consumer: EventConsumer;
  let dlqReader: Consumer;
  let relay: OutboxRelay | null = null;
  const deadLetters: DeadLetter[] = [];
  /** Handler attempts per event id. */
  const attempts = new Map<string, number>();

  const applied = (): Promise<AppliedRow[]> => consumerDs.query('SELECT event_id, kind, aggregate_id, sequence, amount FROM applied ORDER BY n');
  const countOutbox = async (where = 'TRUE'): Promise<number> => Number((await producerDs.query(`SELECT count(*)::int AS n FROM outbox WHERE ${where}`))[0].n);
  const deadLettersOf = (predicate: (d: DeadLetter) => boolean) => deadLetters.filter(predicate);
  const countAttempt = (eventId: string) => {
    const n = (attempts.get(eventId) ?? 0) + 1;
    attempts.set(eventId, n);
    return n;
  };

  /** The producer's use case: credit an account and announce it, in one transaction. */
  const credit = (accountId: string, amount: number) =>
    inTransaction(producerDs, async (tx) => {
      const accounts = tx.getRepository(Account);
      const account = await accounts.findOneOrFail({ where: { id: accountId }, lock: { mode: 'pessimistic_write' } });
      account.balance += amount;
      account.lastSequence += 1;
      await accounts.save(account);
      return publisher.publish(tx, AccountCredited, { accountId, amount, sequence: account.lastSequence });
    });

  beforeAll(async () => {
    expect(brokers.length).toBeGreaterThan(0);
    [producerDb, consumerDb] = await Promise.all([createTestDatabase('outbox_producer'), createTestDatabase('outbox_consumer')]);
    [producerDs, consumerDs] = await Promise.all([
      openDataSource(producerDb, 'producer-test', AccountsMigration1732600000000, [Account]),
      openDataSource(consumerDb, 'consumer-test', AppliedMigration1732600000001, []),
    ]);

    producerKafka = createKafka({ clientId: `${run}-producer`, brokers, logger });
    consumerKafka = createKafka({ clientId: `${run}-consumer`, brokers, logger });
    relayProducer = createProducer(producerKafka);
    consumerProducer = createProducer(consumerKafka);
    await Promise.all([relayProducer.connect(), consumerProducer.connect()]);

    consumer = new EventConsumer(consumerKafka, consumerProducer, consumerDs, logger, {
      groupId: `${run}-consumer`,
      maxWaitTimeInMs: 100,
      retryBaseMs: 20,
      retryMaxMs: 500,
      catalog,
    })
      .on(AccountCredited, async (event, tx) => {
        const p = event.payload as z.infer<typeof AccountCredited.schema>;
        await tx.query(`INSERT INTO applied (event_id, kind, aggregate_id, sequence, amount) VALUES ($1, 'credit', $2, $3, $4)`, [
          event.id,
          p.accountId,
          p.sequence,
          p.amount,
        ]);
      })
      .on(PayoutRequested, async (event, tx) => {
        const p = event.payload as z.infer<typeof PayoutRequested.schema>;
        // Written before failing: a failed attempt's writes must roll back with its inbox record.
        await tx.query(`INSERT INTO applied (event_id, kind, aggregate_id) VALUES ($1, 'payout', $2)`, [event.id, p.payoutId]);
        if (countAttempt(event.id) <= p.failures) throw new Error('payment provider timed out');
      })
      .on(AccountMerged, async (event) => {
        countAttempt(event.id);
        throw new ConflictError('account already merged');
      });

    dlqReader = consumerKafka.consumer({ groupId: `${run}-dlq-reader`, maxWaitTimeInMs: 100 });
    await dlqReader.connect();
    await dlqReader.subscribe({ topic: deadLetterTopic(topic), fromBeginning: true });
    // Both groups join (about 3 s each on the mock) while the tests start.
    await Promise.all([
      consumer.start(),
      dlqReader.run({
        eachMessage: async ({ message }) => {
          deadLetters.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, headers: headerText(message.headers) });
        },
      }),
    ]);
  });

  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await dlqReader?.disconnect();
    await Promise.all([relayProducer?.disconnect(), consumerProducer?.disconnect()]);
    await Promise.all([producerDs?.destroy(), consumerDs?.destroy()]);
    await Promise.all([producerDb?.drop(), consumerDb?.drop()]);
  });

  const ACCOUNTS = 5;
  const CREDITS_PER_ACCOUNT = 10;
  const N = ACCOUNTS * CREDITS_PER_ACCOUNT;
  const accountIds = Array.from({ length: ACCOUNTS }, () => randomUUID());

  it('a crash between the database commit and the Kafka publish loses no event, and a redelivered event is applied once', async () => {
    await producerDs.getRepository(Account).insert(accountIds.map((id) => ({ id, balance: 0, lastSequence: -1 })));

    // 1. N committed changes, each with its event, while no relay runs (the process died before publishing).
    //    The accounts are credited concurrently; each account's credits in order.
    const published = (
      await Promise.all(
        accountIds.map(async (accountId, a) => {
          const events = [];
          for (let i = 0; i < CREDITS_PER_ACCOUNT; i++) events.push(await credit(accountId, 1 + a * 100 + i));
          return events;
        }),
      )
    ).flat();
    expect(await countOutbox('published_at IS NULL')).toBe(N);
    expect(await countOutbox()).toBe(N);

    // 2. A relay that crashes after Kafka accepted the batch, before marking it published.
    let hookCalls = 0;
    let crashedBatch: string[] = [];
    const crashing = new OutboxRelay(producerDs, relayProducer, logger, {
      databaseUrl: producerDb.url,
      pollIntervalMs: 100,
      retentionHours: 72,
      afterPublish: (ids) => {
        if (hookCalls++ === 0) {
          crashedBatch = ids;
          throw new Error('simulated crash after Kafka accepted the batch');
        }
      },
    });
    await expect(crashing.publishBatch()).rejects.toThrow('simulated crash');
    expect(crashedBatch).toHaveLength(N);
    expect(await countOutbox('published_at IS NULL')).toBe(N);

    // 3. The restarted service's relay publishes everything again.
    relay = new OutboxRelay(producerDs, relayProducer, logger, { databaseUrl: producerDb.url, pollIntervalMs: 100, retentionHours: 72 });
    await relay.start();
    await waitFor(async () => (await countOutbox('published_at IS NULL')) === 0, 20_000, { message: 'outbox drained' });

    // 4. The consumer saw every event twice and applied each once.
    await waitFor(() => consumer.stats.duplicates >= N, 30_000, { message: `${N} duplicate deliveries seen` });
    const rows = await applied();
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.event_id))).toEqual(new Set(published.map((e) => e.id)));
    expect(consumer.stats.applied).toBe(N);
    expect(consumer.stats.deadLettered).toBe(0);
    const inbox = await consumerDs.query('SELECT count(*)::int AS n FROM inbox');
    expect(inbox[0].n).toBe(N);

    // 5. Each account's events were applied in commit order, and the consumer's totals match the producer's balances.
    for (const accountId of accountIds) {
      const own = rows.filter((r) => r.aggregate_id === accountId);
      expect(own.map((r) => r.sequence)).toEqual(Array.from({ length: CREDITS_PER_ACCOUNT }, (_, i) => i));
      const { balance } = await producerDs.getRepository(Account).findOneByOrFail({ id: accountId });
      expect(own.reduce((sum, r) => sum + (r.amount ?? 0), 0)).toBe(balance);
    }
  });

  it('an event delivered again (the whole topic replayed, or one message handed over twice) changes nothing', async () => {
    const before = await applied();
    expect(before).toHaveLength(N);
    const duplicatesBefore = consumer.stats.duplicates;

    const outbox: Array<{ message_key: string; envelope: unknown }> = await producerDs.query('SELECT message_key, envelope FROM outbox ORDER BY seq');
    await relayProducer.send({
      topic,
      acks: -1,
      messages: outbox.map((row) => ({ key: row.message_key, value: JSON.stringify(row.envelope) })),
    });
    await waitFor(() => consumer.stats.duplicates >= duplicatesBefore + N, 30_000, { message: 'replayed messages consumed' });

    await deliverEnvelope(consumer, outbox[0].envelope as EventEnvelope, topic);
    expect(consumer.stats.duplicates).toBe(duplicatesBefore + N + 1);

    expect(await applied()).toEqual(before);
    expect(consumer.stats.applied).toBe(N);
  });

  it('a relay process killed (SIGKILL) after Kafka accepted a batch, before marking it, loses and doubles nothing', async () => {
    // The in-process relay of the first test stands down: the doomed process must find the events unpublished.
    await relay?.stop();
    relay = null;
    const accountId = randomUUID();
    await producerDs.getRepository(Account).insert({ id: accountId, balance: 0, lastSequence: -1 });
    const KILLED = 12;
    const events = [];
    for (let i = 0; i < KILLED; i++) events.push(await credit(accountId, 1000 + i));
    const appliedBefore = consumer.stats.applied;

    // A separate process runs the built relay; its afterPublish hook kills the process with SIGKILL
    // right after Kafka acknowledged a first batch of 5: no finally, no shutdown hook runs.
    const script = `
      const { DataSource } = require('typeorm');
      const pino = require('pino');
      const p = require(${JSON.stringify(path.resolve(__dirname, '../../dist/index.js'))});
      (async () => {
        const logger = pino({ level: 'silent' });
        const ds = new DataSource({ ...p.dataSourceOptions({ url: process.env.DB_URL, entities: [], migrations: [] }), migrationsRun: false });
        await ds.initialize();
        const producer = p.createProducer(p.createKafka({ clientId: 'doomed-relay', brokers: process.env.BROKERS.split(','), logger }));
        await producer.connect();
        const relay = new p.OutboxRelay(ds, producer, logger, {
          databaseUrl: process.env.DB_URL, pollIntervalMs: 50, retentionHours: 72, batchSize: 5,
          afterPublish: () => process.kill(process.pid, 'SIGKILL'),
        });
        await relay.publishBatch();
      })();`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '../../../..'),
      env: { ...process.env, DB_URL: producerDb.url, BROKERS: brokers.join(',') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    expect({ signal, stderr: stderr.slice(0, 500) }).toEqual({ signal: 'SIGKILL', stderr: '' });

    // The killed relay's batch reached Kafka (applied once), yet nothing is marked published.
    await waitFor(() => consumer.stats.applied >= appliedBefore + 5, 20_000, { message: 'the killed batch consumed' });
    expect(await countOutbox('published_at IS NULL')).toBe(KILLED);

    // The restarted relay publishes all of it, the killed batch again.
    relay = new OutboxRelay(producerDs, relayProducer, logger, { databaseUrl: producerDb.url, pollIntervalMs: 100, retentionHours: 72 });
    await relay.start();
    await waitFor(async () => (await countOutbox('published_at IS NULL')) === 0, 20_000, { message: 'outbox drained' });
    await waitFor(() => consumer.stats.applied >= appliedBefore + KILLED, 20_000, { message: 'all events applied' });

    const own = (await applied()).filter((r) => r.aggregate_id === accountId);
    expect(own.map((r) => r.event_id)).toEqual(events.map((e) => e.id));
    expect(own.map((r) => r.sequence)).toEqual(Array.from({ length: KILLED }, (_, i) => i));
  });

  it('dead-letters what it cannot parse, with the reason, and goes on with the partition', async () => {
    const accountId = randomUUID();
    const valid = createEvent(AccountCredited, { accountId, amount: 7, sequence: 0 });
    const raw = (overrides: Record<string, unknown>) =>
      JSON.stringify({ ...createEvent(AccountCredited, { accountId, amount: 1, sequence: 0 }), ...overrides });
    const bad = [
      { value: 'this is not JSON {', reason: /not JSON/ },
      { value: raw({ type: 'TestAccountClosed' }), reason: /unknown event type TestAccountClosed/ },
      { value: raw({ version: 2 }), reason: /unsupported version 2 of TestAccountCredited/ },
      { value: raw({ payload: { accountId, amount: -5, sequence: 0 } }), reason: /invalid TestAccountCredited payload/ },
      // A valid event that claims another producer: forged, refused whatever its payload.
      { value: raw({ source: 'payments' }), reason: /TestAccountCredited must come from accounts-test, not from source "payments"/ },
    ];
    // One key: one partition, where the bad messages come first.
    await relayProducer.send({
      topic,
      acks: -1,
      messages: [...bad.map((b) => ({ key: accountId, value: b.value })), { key: accountId, value: JSON.stringify(valid) }],
    });

    await waitFor(async () => (await applied()).some((r) => r.event_id === valid.id), 20_000, { message: 'valid message applied' });
    const letters = await waitFor(
      () => {
        const found = deadLettersOf((d) => d.key === accountId);
        return found.length >= bad.length && found;
      },
      20_000,
      { message: 'five dead letters' },
    );
    expect(letters).toHaveLength(bad.length);
    letters.forEach((letter, i) => {
      expect(letter.value).toBe(bad[i].value);
      expect(letter.headers['dlq-reason']).toMatch(bad[i].reason);
      expect(letter.headers).toMatchObject({ 'dlq-source-topic': topic, 'dlq-consumer-group': `${run}-consumer` });
    });
    expect(new Set(letters.map((l) => l.headers['dlq-source-partition'])).size).toBe(1);
    expect((await applied()).filter((r) => r.aggregate_id === accountId)).toEqual([
      { event_id: valid.id, kind: 'credit', aggregate_id: accountId, sequence: 0, amount: 7 },
    ]);
  });

  it("refuses an event that arrives on a topic other than its producer's (a forged event on another service's topic)", async () => {
    const accountId = randomUUID();
    const forged = createEvent(AccountCredited, { accountId, amount: 1_000_000, sequence: 0 });
    const deadLettered = consumer.stats.deadLettered;
    await deliverEnvelope(consumer, forged, `${run}.someone-else.v1`);
    expect(consumer.stats.deadLettered).toBe(deadLettered + 1);
    expect((await applied()).filter((r) => r.aggregate_id === accountId)).toEqual([]);
    expect(await consumerDs.query('SELECT event_id FROM inbox WHERE event_id = $1', [forged.id])).toEqual([]);
  });

  it('retries a handler that fails (however often) until it passes, dead-letters one that refuses the event at once', async () => {
    const [transient, merged, stubborn] = await inTransaction(producerDs, async (tx) => [
      await publisher.publish(tx, PayoutRequested, { payoutId: randomUUID(), failures: 2 }),
      await publisher.publish(tx, AccountMerged, { accountId: randomUUID() }),
      await publisher.publish(tx, PayoutRequested, { payoutId: randomUUID(), failures: 7 }),
    ]);

    const [mergedLetter] = await waitFor(
      () => {
        const found = deadLettersOf((d) => d.key === merged.aggregateId);
        return found.length >= 1 && found;
      },
      20_000,
      { message: 'the refused event dead-lettered' },
    );
    await waitFor(async () => (await applied()).some((r) => r.event_id === transient.id), 20_000, { message: 'transient payout applied' });
    await waitFor(async () => (await applied()).some((r) => r.event_id === stubborn.id), 30_000, { message: 'stubborn payout applied' });

    // Applied once, after failed attempts whose writes were rolled back.
    expect(attempts.get(transient.id)).toBe(3);
    expect((await applied()).filter((r) => r.event_id === transient.id)).toHaveLength(1);
    // A plain Error is not a refusal: retried as long as it takes (here 7 failures), never dead-lettered.
    expect(attempts.get(stubborn.id)).toBe(8);
    expect((await applied()).filter((r) => r.event_id === stubborn.id)).toHaveLength(1);
    expect(deadLettersOf((d) => d.key === stubborn.aggregateId || d.key === transient.aggregateId)).toEqual([]);

    // A domain error is final: one attempt, nothing left behind.
    expect(attempts.get(merged.id)).toBe(1);
    expect(mergedLetter.headers['dlq-reason']).toBe('handler refused the event: account already merged');
    expect(mergedLetter.headers).toMatchObject({ 'dlq-failure': 'permanent', 'dlq-error-class': 'ConflictError', 'dlq-event-id': merged.id });
    expect(JSON.parse(mergedLetter.value!)).toMatchObject({ id: merged.id, type: 'TestAccountMerged' });
    expect(await consumerDs.query('SELECT event_id FROM applied WHERE event_id = $1', [merged.id])).toEqual([]);
    expect(await consumerDs.query('SELECT event_id FROM inbox WHERE event_id = $1', [merged.id])).toEqual([]);
  });

  it('a transaction that publishes an event and then fails leaves neither its change nor its event', async () => {
    const accountId = randomUUID();
    let envelopeId: string | undefined;
    await expect(
      inTransaction(producerDs, async (tx) => {
        await tx.getRepository(Account).insert({ id: accountId, balance: 10, lastSequence: 0 });
        envelopeId = (await publisher.publish(tx, AccountCredited, { accountId, amount: 10, sequence: 0 })).id;
        throw new ConflictError('limit exceeded');
      }),
    ).rejects.toThrow('limit exceeded');

    expect(envelopeId).toBeDefined();
    expect(await countOutbox(`id = '${envelopeId}'`)).toBe(0);
    expect(await producerDs.getRepository(Account).findOneBy({ id: accountId })).toBeNull();
  });

  it('refuses to publish outside a transaction', async () => {
    const before = await countOutbox();
    await expect(publisher.publish(producerDs.manager, AccountCredited, { accountId: randomUUID(), amount: 1, sequence: 0 })).rejects.toThrow(
      'must run inside a transaction',
    );
    expect(await countOutbox()).toBe(before);
  });
});
