import { Counter, type Registry } from 'prom-client';
import type { Metrics } from '../metrics/metrics';

/** What the outbox gauges need of the database: one query (a TypeORM DataSource fits). */
export interface OutboxQueries {
  query(sql: string): Promise<Array<Record<string, unknown>>>;
}

/**
 * The outbox backlog, read from the database at scrape time. The oldest pending event's age is
 * what to alert on: it grows while the broker or the relay is down, whatever the traffic.
 */
export function registerOutboxGauges(metrics: Metrics, db: OutboxQueries): void {
  metrics.gauge('outbox_pending_events', 'Outbox events not yet published to Kafka (parked ones excluded)', async () =>
    Number((await db.query('SELECT count(*)::int AS n FROM outbox WHERE published_at IS NULL AND parked_at IS NULL'))[0].n),
  );
  metrics.gauge(
    'outbox_oldest_pending_age_seconds',
    'Seconds since the oldest event not yet published (parked ones excluded) was committed; 0 when none waits',
    async () =>
      Number(
        (
          await db.query(
            'SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float8 AS s FROM outbox WHERE published_at IS NULL AND parked_at IS NULL',
          )
        )[0].s,
      ),
  );
  // Events the broker refused for good, waiting for ops (README "Outbox"): alert on > 0.
  metrics.gauge('outbox_parked_events', 'Outbox events the broker refused for good, parked with their reason', async () =>
    Number((await db.query('SELECT count(*)::int AS n FROM outbox WHERE parked_at IS NOT NULL AND published_at IS NULL'))[0].n),
  );
}

/** What the relay counts: events it put on Kafka, and events it parked. */
export class OutboxRelayMetrics {
  private readonly events: Counter<'outcome'>;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: 'outbox_relayed_events_total',
      help: 'Outbox events the relay handled, by outcome (published to Kafka, parked on a permanent refusal)',
      labelNames: ['outcome'],
      registers: [registry],
    });
  }

  published(count: number): void {
    this.events.inc({ outcome: 'published' }, count);
  }

  parked(count: number): void {
    this.events.inc({ outcome: 'parked' }, count);
  }
}
