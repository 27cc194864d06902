import { randomUUID } from 'node:crypto';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError, type Consumer, type Producer, type ProducerBatch } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { defineEvent } from '@talent/events';
import { createTestDatabase, uniquePrefix, waitFor, type TestDatabase } from '@talent/testing';
import { dataSourceOptions, inTransaction } from '../persistence';
import { EventPublisher } from './event-publisher';
import { createKafka, createProducer } from './kafka';
import { OutboxRelay } from './outbox-relay';

/*
 * The relay against PostgreSQL and the Kafka-protocol broker. The local broker accepts any
 * message (no size limit, topics auto-created), so a refusal for good is injected at the
 * producer: a call carrying a refused message fails as kafkajs reports the broker's
 * MESSAGE_TOO_LARGE, and nothing of that call is written (a one-broker, one-request produce).
 */

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const run = uniquePrefix('relay');
const topic = `${run}.orders.v1`;

const OrderNoted = defineEvent({
  type: 'TestOrderNoted',
  version: 1,
  topic,
  source: 'orders-test',
  schema: z.object({ orderId: z.uuid(), n: z.number().int().nonnegative() }),
  aggregateIdOf: (p) => p.orderId,
});

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createErrorFromCode } = require('kafkajs/src/protocol/error') as { createErrorFromCode: (code: number) => Error };
/** What kafkajs's retrier rejects with when the broker answers a produce request with MESSAGE_TOO_LARGE (code 10). */
const messageTooLarge = () => {
  const broker = new KafkaJSProtocolError(createErrorFromCode(10));
  return Object.assign(new KafkaJSNonRetriableError(broker), { cause: broker }); // kafkajs's typings omit `cause`
};

/** The real producer, with faults on demand. */
class FaultyProducer {
  readonly refused = new Set<string>();
  transientFailures = 0;
  /** While set, every call waits for it (a slow broker). */
  gate: Promise<void> | null = null;
  calls = 0;
  readonly producer: Producer;

  constructor(real: Producer) {
    this.producer = {
      ...real,
      sendBatch: async (batch: ProducerBatch) => {
        this.calls++;
        if (this.gate) await this.gate;
        if (this.transientFailures > 0) {
          this.transientFailures--;
          throw new KafkaJSConnectionError('Connection error: read ECONNRESET');
        }
        const ids = (batch.topicMessages ?? []).flatMap((t) => t.messages.map((m) => String(m.headers?.['event-id'])));
        if (ids.some((id) => this.refused.has(id))) throw messageTooLarge();
        return real.sendBatch(batch);
      },
    };
  }
}

describe('outbox relay', () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const publisher = new EventPublisher();
  let db: TestDatabase;
  let ds: DataSource;
  let realProducer: Producer;
  let faulty: FaultyProducer;
  let reader: Consumer;
  const received: Array<{ key: string; id: string }> = [];
  const relays: OutboxRelay[] = [];

  const newRelay = () => {
    const relay = new OutboxRelay(ds, faulty.producer, logger, { databaseUrl: db.url, pollIntervalMs: 100, retentionHours: 72 });
    relays.push(relay);
    return relay;
  };
  /** A relay whose safety poll is ten minutes away: only a commit's NOTIFY can wake it within a test. */
  const listeningRelay = () => {
    const relay = new OutboxRelay(ds, faulty.producer, logger, { databaseUrl: db.url, pollIntervalMs: 10 * 60_000, retentionHours: 72 });
    relays.push(relay);
    return relay;
  };
  const listenerPids = async (): Promise<number[]> =>
    (
      await ds.query(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = current_database() AND application_name = 'outbox-relay-listener' AND state = 'idle' AND query LIKE 'LISTEN %'`,
      )
    ).map((r: { pid: number }) => r.pid);
  const note = (orderId: string, n: number) => inTransaction(ds, (tx) => publisher.publish(tx, OrderNoted, { orderId, n }));
  const receivedOf = (key: string) => {
    // First deliveries only: a redelivery is the consumer's inbox's business.
    const ids: string[] = [];
    for (const m of received) if (m.key === key && !ids.includes(m.id)) ids.push(m.id);
    return ids;
  };
  const outboxRow = async (id: string) =>
    (await ds.query('SELECT published_at, parked_at, park_reason, attempts, last_error FROM outbox WHERE id = $1', [id]))[0];

  beforeAll(async () => {
    expect(brokers.length).toBeGreaterThan(0);
    db = await createTestDatabase('outbox_relay');
    ds = new DataSource({
      ...dataSourceOptions({ url: db.url, entities: [], migrations: [], applicationName: 'relay-test', poolSize: 4 }),
      logging: ['error'],
    });
    await ds.initialize();
    const kafka = createKafka({ clientId: `${run}-relay`, brokers, logger });
    realProducer = createProducer(kafka);
    await realProducer.connect();
    faulty = new FaultyProducer(realProducer);
    reader = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topic, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => {
        received.push({ key: message.key?.toString() ?? '', id: String(message.headers?.['event-id']) });
      },
    });
  });

  afterAll(async () => {
    for (const relay of relays) await relay.stop();
    await reader?.disconnect();
    await realProducer?.disconnect();
    await ds?.destroy();
    await db?.drop();
  });

  afterEach(async () => {
    for (const relay of relays.splice(0)) await relay.stop();
    faulty.refused.clear();
    faulty.transientFailures = 0;
    faulty.gate = null;
  });

  it('parks a message the broker refuses for good, publishes the rest in order, and holds the parked key until it is retried', async () => {
    const [a, b, c] = [randomUUID(), randomUUID(), randomUUID()];
    const a1 = await note(a, 1);
    const b1 = await note(b, 1); // refused for good
    const a2 = await note(a, 2);
    const b2 = await note(b, 2); // waits behind b1
    const c1 = await note(c, 1);
    faulty.refused.add(b1.id);

    await newRelay().start();
    await waitFor(async () => (await outboxRow(c1.id)).published_at !== null, 20_000, { message: 'c1 published' });
    await waitFor(() => receivedOf(c).length === 1 && receivedOf(a).length === 2, 20_000, { message: 'a and c consumed' });

    expect(receivedOf(a)).toEqual([a1.id, a2.id]);
    expect(receivedOf(c)).toEqual([c1.id]);
    expect(receivedOf(b)).toEqual([]);
    const parked = await outboxRow(b1.id);
    expect(parked.published_at).toBeNull();
    expect(parked.parked_at).not.toBeNull();
    expect(parked.park_reason).toMatch(/^MESSAGE_TOO_LARGE: /);
    expect(parked.attempts).toBeGreaterThanOrEqual(1);
    const held = await outboxRow(b2.id);
    expect({ published: held.published_at, parked: held.parked_at }).toEqual({ published: null, parked: null });
    // What `outbox_parked_events` and `outbox_pending_events` count.
    const [{ parkedCount, pending }] = await ds.query(
      `SELECT count(*) FILTER (WHERE parked_at IS NOT NULL AND published_at IS NULL)::int AS "parkedCount",
              count(*) FILTER (WHERE parked_at IS NULL AND published_at IS NULL)::int AS pending FROM outbox`,
    );
    expect({ parkedCount, pending }).toEqual({ parkedCount: 1, pending: 1 });

    // Later events of other keys keep flowing while b is parked.
    const c2 = await note(c, 2);
    await waitFor(() => receivedOf(c).length === 2, 20_000, { message: 'c2 consumed' });
    expect(receivedOf(c)).toEqual([c1.id, c2.id]);

    // Ops fix the cause and un-park it (README "Outbox"): b1 goes out first, then b2.
    faulty.refused.clear();
    await ds.query('UPDATE outbox SET parked_at = NULL, park_reason = NULL WHERE id = $1', [b1.id]);
    await waitFor(() => receivedOf(b).length === 2, 20_000, { message: 'b consumed after the retry' });
    expect(receivedOf(b)).toEqual([b1.id, b2.id]);
    expect((await ds.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL'))[0].n).toBe(0);
  });

  it('retries a transient broker error in order, without parking anything', async () => {
    const d = randomUUID();
    const events = [];
    for (let n = 0; n < 4; n++) events.push(await note(d, n));
    faulty.transientFailures = 3;

    await newRelay().start();
    await waitFor(() => receivedOf(d).length === 4, 30_000, { message: 'd consumed' });
    expect(receivedOf(d)).toEqual(events.map((e) => e.id));
    const rows: Array<{ parked_at: Date | null; attempts: number; last_error: string | null }> = await ds.query(
      'SELECT parked_at, attempts, last_error FROM outbox WHERE message_key = $1',
      [d],
    );
    expect(rows.every((r) => r.parked_at === null)).toBe(true);
    expect(rows.every((r) => r.attempts === 3 && /ECONNRESET/.test(r.last_error ?? ''))).toBe(true);
  });

  it('holds no transaction open while the broker is slow, and a second relay stands by meanwhile', async () => {
    const e = randomUUID();
    const event = await note(e, 0);
    let release!: () => void;
    faulty.gate = new Promise<void>((resolve) => (release = resolve));
    const callsBefore = faulty.calls;

    const relay = newRelay();
    const publishing = relay.publishBatch();
    await waitFor(() => faulty.calls > callsBefore, 10_000, { message: 'the relay is calling the broker' });

    const sessions: Array<{ application_name: string; state: string | null; xact_start: Date | null }> = await ds.query(
      `SELECT application_name, state, xact_start FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    expect(sessions.filter((s) => s.state?.startsWith('idle in transaction'))).toEqual([]);
    const relaySession = sessions.find((s) => s.application_name === 'outbox-relay');
    expect(relaySession).toMatchObject({ state: 'idle', xact_start: null });
    // It holds the relay lock, outside any transaction: one relay per database publishes at a time.
    const locks = await ds.query(
      `SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
       WHERE l.locktype = 'advisory' AND l.objid = 7305001 AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    expect(locks).toEqual([{ application_name: 'outbox-relay' }]);
    const second = newRelay();
    await expect(second.publishBatch()).resolves.toBe(0);

    release();
    await expect(publishing).resolves.toBe(1);
    expect((await outboxRow(event.id)).published_at).not.toBeNull();
    await waitFor(() => receivedOf(e).length === 1, 20_000, { message: 'e consumed' });
  });

  it('a failure after the broker accepted a batch, before the mark, releases the lock and the batch is sent again, not lost', async () => {
    const f = randomUUID();
    const events = [];
    for (let n = 0; n < 3; n++) events.push(await note(f, n));
    const crashing = new OutboxRelay(ds, faulty.producer, logger, {
      databaseUrl: db.url,
      pollIntervalMs: 100,
      retentionHours: 72,
      afterPublish: () => {
        throw new Error('simulated crash after the broker accepted the batch');
      },
    });
    relays.push(crashing);
    await expect(crashing.publishBatch()).rejects.toThrow('simulated crash');
    expect((await ds.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND message_key = $1', [f]))[0].n).toBe(3);

    // Another relay takes over at once (the failed one's lock went with its connection) and sends them again.
    await expect(newRelay().publishBatch()).resolves.toBe(3);
    await waitFor(() => received.filter((m) => m.key === f).length === 6, 20_000, { message: 'both deliveries consumed' });
    expect(receivedOf(f)).toEqual(events.map((e) => e.id));
  });

  it("wakes on the commit's NOTIFY: an event is relayed at once, not at the safety poll ten minutes away", async () => {
    const relay = listeningRelay();
    await relay.start();
    await waitFor(() => relay.idle, 10_000, { message: 'the relay waits, nothing to publish' });

    const g = randomUUID();
    const event = await note(g, 0);
    await waitFor(() => receivedOf(g).length === 1, 20_000, { message: 'g consumed' });
    expect(receivedOf(g)).toEqual([event.id]);
  });

  it('LISTENs again after its connection is killed, and relays what was committed meanwhile', async () => {
    const relay = listeningRelay();
    await relay.start();
    await waitFor(() => relay.idle, 10_000, { message: 'the relay waits, nothing to publish' });
    const [killed] = await waitFor(async () => ((await listenerPids()).length > 0 ? listenerPids() : null), 10_000, { message: 'the relay LISTENs' });
    expect(await listenerPids()).toEqual([killed]);

    await ds.query('SELECT pg_terminate_backend($1)', [killed]);
    const h = randomUUID();
    const duringOutage = await note(h, 0); // its NOTIFY may reach no one: the reconnection catches up
    await waitFor(() => receivedOf(h).length === 1, 20_000, { message: 'the event committed during the outage consumed' });

    // A new connection LISTENs, and a commit wakes the relay through it (the poll is still minutes away).
    const reconnected = await waitFor(async () => (await listenerPids()).find((pid) => pid !== killed), 20_000, { message: 'the relay LISTENs again' });
    expect(await listenerPids()).toEqual([reconnected]);
    await waitFor(() => relay.idle, 10_000, { message: 'the relay waits again' });
    const afterOutage = await note(h, 1);
    await waitFor(() => receivedOf(h).length === 2, 20_000, { message: 'the event committed after the reconnection consumed' });
    expect(receivedOf(h)).toEqual([duringOutage.id, afterOutage.id]);
  });
});
