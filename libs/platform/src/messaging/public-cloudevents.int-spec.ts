import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { deadLetterTopic, defineEvent, type EventDefinition, type EventEnvelope } from '@talent/events';
import { createTestDatabase, decodePublicEvent, uniquePrefix, waitFor, type TestDatabase } from '@talent/testing';
import { dataSourceOptions, inTransaction } from '../persistence';
import { EventConsumer } from './event-consumer';
import { EventPublisher } from './event-publisher';
import { createKafka, createProducer } from './kafka';
import { OutboxRelay } from './outbox-relay';

/*
 * Partner topics on the wire, against PostgreSQL and the broker: the relay publishes an event of a
 * `public.*` topic as a CloudEvent in binary mode (ce_* headers, the payload alone as the value),
 * an internal one as the JSON envelope; the platform consumer reads both back into the same
 * envelope, and dead-letters a CloudEvent it cannot accept, headers kept.
 */

const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
const run = uniquePrefix('cloudevents');
const prefix = `${run}.`;
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const NotePublished = defineEvent({
  type: 'test.note.published',
  version: 1,
  topic: 'public.notes.v1',
  source: 'notes-test',
  schema: z.object({ noteId: z.uuid(), text: z.string() }),
  aggregateIdOf: (p) => p.noteId,
});
const NoteWritten = defineEvent({
  type: 'TestNoteWritten',
  version: 1,
  topic: 'notes.events.v1',
  source: 'notes-test',
  schema: z.object({ noteId: z.uuid(), text: z.string(), authorEmail: z.string() }),
  aggregateIdOf: (p) => p.noteId,
});
const catalog: ReadonlyMap<string, EventDefinition> = new Map([NotePublished, NoteWritten].map((d) => [d.type, d as EventDefinition]));

interface Received {
  topic: string;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
}

const text = (headers: IHeaders): Record<string, string> => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)]));

describe('public topics carry CloudEvents (binary mode) from the relay to the consumer', () => {
  const brokers = (process.env.KAFKA_BROKERS ?? '').split(',').filter(Boolean);
  const publisher = new EventPublisher();
  let db: TestDatabase;
  let ds: DataSource;
  let kafka: Kafka;
  let producer: Producer;
  let relay: OutboxRelay;
  let consumer: EventConsumer;
  let reader: Consumer;
  const received: Received[] = [];
  const applied: EventEnvelope[] = [];

  const publish = <D extends EventDefinition>(definition: D, payload: z.infer<D['schema']>) =>
    inTransaction(ds, (tx) => publisher.publish(tx, definition, payload as never, { traceparent }));
  const onWire = (id: string) => received.find((m) => m.headers['event-id']?.toString() === id);

  beforeAll(async () => {
    expect(brokers.length).toBeGreaterThan(0);
    db = await createTestDatabase('public_cloudevents');
    ds = new DataSource({
      ...dataSourceOptions({ url: db.url, entities: [], migrations: [], applicationName: 'cloudevents-test', poolSize: 4 }),
      logging: ['error'],
    });
    await ds.initialize();
    kafka = createKafka({ clientId: run, brokers, logger });
    producer = createProducer(kafka);
    await producer.connect();
    const topics = [NotePublished.topic, NoteWritten.topic].map((t) => `${prefix}${t}`);
    // The topics exist before the groups join (the broker creates a topic on first use).
    for (const topic of [...topics, deadLetterTopic(topics[0]!)])
      await producer.send({ topic, acks: -1, messages: [{ key: 'warm-up', value: 'warm-up: not an event' }] });

    reader = kafka.consumer({ groupId: `${run}-reader`, maxWaitTimeInMs: 100 });
    await reader.connect();
    await reader.subscribe({ topics: [...topics, deadLetterTopic(topics[0]!)], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ topic, message }) =>
        void received.push({ topic, key: message.key?.toString() ?? null, value: message.value, headers: message.headers ?? {} }),
    });
    consumer = new EventConsumer(kafka, producer, ds, logger, { groupId: `${run}-notes`, topicPrefix: prefix, maxWaitTimeInMs: 100, catalog })
      .on(NotePublished, async (event) => void applied.push(event))
      .on(NoteWritten, async (event) => void applied.push(event));
    await consumer.start();
    relay = new OutboxRelay(ds, producer, logger, { databaseUrl: db.url, pollIntervalMs: 100, retentionHours: 72, topicPrefix: prefix });
    await relay.start();
  }, 60_000);

  afterAll(async () => {
    await relay?.stop();
    await consumer?.stop();
    await reader?.disconnect();
    await producer?.disconnect();
    await ds?.destroy();
    await db?.drop();
  });

  it('publishes a public event as ce_* headers and the payload alone, keyed by the aggregate', async () => {
    const noteId = randomUUID();
    const envelope = await publish(NotePublished, { noteId, text: 'hello partners' });
    await waitFor(() => onWire(envelope.id), 20_000, { message: 'the public event on the topic' });
    const message = onWire(envelope.id)!;

    expect(message.topic).toBe(`${prefix}public.notes.v1`);
    expect(message.key).toBe(noteId);
    expect(JSON.parse(message.value!.toString())).toEqual({ noteId, text: 'hello partners' });
    expect(text(message.headers)).toEqual({
      ce_specversion: '1.0',
      ce_id: envelope.id,
      ce_source: '/talent-network/notes-test',
      ce_type: 'test.note.published',
      ce_time: envelope.occurredAt,
      ce_subject: noteId,
      ce_dataversion: '1',
      ce_traceparent: envelope.traceparent,
      traceparent: envelope.traceparent,
      'content-type': 'application/json',
      'event-id': envelope.id,
      'event-type': 'test.note.published',
    });
    expect(decodePublicEvent(message, catalog)).toEqual(envelope);
    // The platform consumer gets the very envelope the producer wrote.
    await waitFor(() => applied.find((e) => e.id === envelope.id), 20_000, { message: 'the public event consumed' });
    expect(applied.find((e) => e.id === envelope.id)).toEqual(envelope);
  });

  it('keeps the JSON envelope on internal topics', async () => {
    const envelope = await publish(NoteWritten, { noteId: randomUUID(), text: 'internal', authorEmail: 'ada@example.com' });
    await waitFor(() => onWire(envelope.id), 20_000, { message: 'the internal event on the topic' });
    const message = onWire(envelope.id)!;
    expect(JSON.parse(message.value!.toString())).toEqual(envelope);
    expect(Object.keys(message.headers).filter((h) => h.startsWith('ce_'))).toEqual([]);
    await waitFor(() => applied.find((e) => e.id === envelope.id), 20_000, { message: 'the internal event consumed' });
  });

  it('dead-letters a CloudEvent of a version it does not know, with the reason and the ce_* headers', async () => {
    const noteId = randomUUID();
    const id = randomUUID();
    const headers = {
      ce_specversion: '1.0',
      ce_id: id,
      ce_source: '/talent-network/notes-test',
      ce_type: 'test.note.published',
      ce_time: new Date().toISOString(),
      ce_subject: noteId,
      ce_dataversion: '2',
      'content-type': 'application/json',
    };
    await producer.send({ topic: `${prefix}public.notes.v1`, acks: -1, messages: [{ key: noteId, value: JSON.stringify({ noteId, text: 'v2' }), headers }] });

    const dlq = deadLetterTopic(`${prefix}public.notes.v1`);
    await waitFor(() => received.find((m) => m.topic === dlq && m.key === noteId), 20_000, { message: 'the dead letter' });
    const dead = text(received.find((m) => m.topic === dlq && m.key === noteId)!.headers);
    expect(dead).toMatchObject({ ...headers, 'dlq-reason': 'unsupported version 2 of test.note.published', 'dlq-consumer-group': `${run}-notes` });
    expect(applied.find((e) => e.id === id)).toBeUndefined();
  });
});
