import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Injectable, Module, type INestApplication } from '@nestjs/common';
import { createEvent, toCloudEventMessage, UserRegistered, type EventEnvelope } from '@talent/events';
import { createTestDatabase, uniquePrefix, waitFor, type TestDatabase } from '@talent/testing';
import { KafkaJSNonRetriableError, type Producer } from 'kafkajs';
import pino from 'pino';
import { DataSource } from 'typeorm';
import { createService } from '../bootstrap';
import { BaseConfigSchema } from '../config';
import { PlatformModule } from '../platform.module';
import { EventConsumer } from './event-consumer';
import { createKafka, createProducer } from './kafka';
import { OnEvent } from './on-event.decorator';

/*
 * A service on the run's broker whose consumer crashes on an error kafkajs does not restart it
 * after (a non-retriable one, as an authorization refused would be): the service starts it again,
 * and the event it was reading is applied once. /health shows the consumer's place in its group.
 */

const applied: string[] = [];
const event = createEvent(UserRegistered, { userId: randomUUID(), roles: ['TALENT'], referralCode: null, registeredAt: new Date().toISOString() });

@Injectable()
class RegistrationsHandler {
  @OnEvent(UserRegistered)
  async onUserRegistered(event: EventEnvelope): Promise<void> {
    applied.push(event.id);
  }
}

@Module({ providers: [RegistrationsHandler] })
class RegistrationsModule {}

describe('a consumer that crashed for good', () => {
  const prefix = `${uniquePrefix('recovery')}.`;
  let db: TestDatabase;
  let app: INestApplication;
  let producer: Producer;
  let url: string;
  const consumeBatch = jest.spyOn(EventConsumer.prototype as unknown as { consumeBatch(): Promise<void> }, 'consumeBatch');

  beforeAll(async () => {
    db = await createTestDatabase('recovery');
    const config = BaseConfigSchema.parse({
      NODE_ENV: 'test',
      SERVICE_NAME: 'recovery-test',
      PORT: 0,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: prefix,
      KAFKA_GROUP_ID: `${prefix}recovery-test`,
      KAFKA_CONSUMER_MAX_WAIT_MS: 100,
      REDIS_PREFIX: uniquePrefix('recovery'),
      JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json', // fetched lazily, never here
    });
    const kafka = createKafka({ clientId: 'recovery-test-producer', brokers: config.KAFKA_BROKERS, logger: pino({ enabled: false }) });
    producer = createProducer(kafka);
    await producer.connect();
    // Waiting on the topic before the service starts: the consumer's first batch holds it.
    await producer.send({ topic: `${prefix}${UserRegistered.topic}`, messages: [toCloudEventMessage(event)] });
    // The first batch the consumer reads fails as no retry can mend: kafkajs disconnects it and leaves it.
    consumeBatch.mockRejectedValueOnce(new KafkaJSNonRetriableError('simulated: refused for good'));
    app = await createService({ module: RegistrationsModule, imports: [PlatformModule.forService({ config, entities: [], migrations: [] })] }, config);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    consumeBatch.mockRestore();
    await app?.close();
    await producer?.disconnect();
    await db?.drop();
  });

  const health = async () => ((await (await fetch(`${url}/health`)).json()) as { details: Record<string, { status: string }> }).details;

  it('is started again, and the event it was reading is applied once', async () => {
    // The crashed member leaves no word: the group hands its partitions on after its session times out (30 s).
    await waitFor(async () => applied.includes(event.id), 90_000, { message: 'the event applied after the restart' });
    expect(consumeBatch.mock.calls.length).toBeGreaterThanOrEqual(2); // the failed first batch, then the same again
    expect(applied.filter((id) => id === event.id)).toHaveLength(1);
    expect(await app.get(DataSource).query(`SELECT event_id FROM inbox WHERE event_id = $1`, [event.id])).toHaveLength(1);
    expect((await health()).consumer.status).toBe('up');
  });
});
