import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { defineEvent } from '@talent/events';
import { createTestDatabase, uniquePrefix, type TestDatabase } from '@talent/testing';
import { Metrics } from '../metrics/metrics';
import { dataSourceOptions, inTransaction } from '../persistence';
import { EventPublisher } from './event-publisher';
import { registerOutboxGauges } from './outbox-metrics';

const OrderNoted = defineEvent({
  type: 'TestOrderNoted',
  version: 1,
  topic: `${uniquePrefix('outbox-gauges')}.orders.v1`,
  source: 'orders-test',
  schema: z.object({ orderId: z.uuid() }),
  aggregateIdOf: (p) => p.orderId,
});

/** One sample of the registry's text output, as Prometheus scrapes it. */
function sample(text: string, name: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('outbox gauges (real PostgreSQL)', () => {
  const publisher = new EventPublisher();
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase('outbox_gauges');
    ds = new DataSource({
      ...dataSourceOptions({ url: db.url, entities: [], migrations: [], applicationName: 'outbox-gauges-test', poolSize: 2 }),
      logging: ['error'],
    });
    await ds.initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.drop();
  });

  it('reports the pending count, the oldest pending age and the parked count', async () => {
    const metrics = new Metrics('orders');
    registerOutboxGauges(metrics, ds);

    let text = await metrics.registry.metrics();
    expect(sample(text, 'outbox_pending_events')).toBe(0);
    expect(sample(text, 'outbox_oldest_pending_age_seconds')).toBe(0);

    const note = () => inTransaction(ds, (tx) => publisher.publish(tx, OrderNoted, { orderId: randomUUID() }));
    // Four events: one 90 s old, one just committed, one parked, one published.
    const [old, , parked, published] = [await note(), await note(), await note(), await note()];
    await ds.query(`UPDATE outbox SET created_at = now() - interval '90 seconds' WHERE id = $1`, [old.id]);
    // A parked event waits for ops, not for the relay: it is not part of the backlog's age.
    await ds.query(`UPDATE outbox SET created_at = now() - interval '1 hour', parked_at = now(), park_reason = 'too large' WHERE id = $1`, [parked.id]);
    await ds.query(`UPDATE outbox SET created_at = now() - interval '2 hours', published_at = now() WHERE id = $1`, [published.id]);

    text = await metrics.registry.metrics();
    expect(sample(text, 'outbox_pending_events')).toBe(2);
    expect(sample(text, 'outbox_parked_events')).toBe(1);
    const age = sample(text, 'outbox_oldest_pending_age_seconds')!;
    expect(age).toBeGreaterThanOrEqual(90);
    expect(age).toBeLessThan(120);
  });
});
