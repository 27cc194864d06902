import 'reflect-metadata';
import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { createTestDatabase, startKafkaBroker, uniquePrefix, waitFor, type KafkaBroker, type TestDatabase } from '@talent/testing';
import { createService } from '../bootstrap';
import { BaseConfigSchema } from '../config';
import { PlatformModule } from '../platform.module';

/*
 * A service on its own broker, which the test then kills: the service stays ready (it can
 * serve its own reads and writes; the outbox keeps events for later), and /health and
 * /metrics say Kafka is down.
 */

@Module({})
class EmptyServiceModule {}

describe('readiness', () => {
  let db: TestDatabase;
  let broker: KafkaBroker;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase('readiness');
    // A broker of our own, not the run's shared one (startKafkaBroker reuses KAFKA_BROKERS when set).
    const shared = process.env.KAFKA_BROKERS;
    delete process.env.KAFKA_BROKERS;
    try {
      broker = await startKafkaBroker();
    } finally {
      process.env.KAFKA_BROKERS = shared;
    }
    const config = BaseConfigSchema.parse({
      NODE_ENV: 'test',
      SERVICE_NAME: 'readiness-test',
      PORT: 0,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: broker.brokers.join(','),
      REDIS_PREFIX: uniquePrefix('readiness'),
      JWKS_URL: 'http://127.0.0.1:9/.well-known/jwks.json', // fetched lazily, never here
    });
    app = await createService({ module: EmptyServiceModule, imports: [PlatformModule.forService({ config, entities: [], migrations: [] })] }, config);
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
    await broker?.stop();
    await db?.drop();
  });

  const probe = async (path: string) => {
    const res = await fetch(`${url}${path}`);
    return { status: res.status, body: (await res.json()) as Record<string, any> };
  };

  it('with every dependency up: ready, and /health says so', async () => {
    expect((await probe('/ready')).status).toBe(200);
    const health = await waitFor(
      async () => {
        const h = await probe('/health');
        return Object.values(h.body.details as Record<string, { status: string }>).every((d) => d.status === 'up') && h;
      },
      20_000,
      { message: 'every dependency checked up' },
    );
    expect(health.status).toBe(200);
    expect(Object.keys(health.body.details).sort()).toEqual(['kafka', 'postgres', 'redis']);
  });

  it('with Kafka gone: still ready; /health and dependency_up show Kafka down', async () => {
    await broker.stop();

    const health = await waitFor(
      async () => {
        const h = await probe('/health');
        return h.body.details.kafka.status === 'down' && h;
      },
      30_000,
      { message: '/health shows kafka down' },
    );
    expect(health.status).toBe(200);
    expect(health.body.details.postgres.status).toBe('up');
    expect(health.body.details.redis.status).toBe('up');
    expect(await probe('/ready')).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });

    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/dependency_up\{dependency="kafka"[^}]*\} 0/);
    expect(metrics).toMatch(/dependency_up\{dependency="postgres"[^}]*\} 1/);
    expect(metrics).toMatch(/outbox_parked_events\{[^}]*\} 0/);
  });
});
