import { Client } from 'pg';
import type { Producer, Message } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { loggableError } from '../logging/redaction';
import { permanentRefusal } from './broker-refusal';
import { SpanKind, startHopSpan, type HopSpan } from '../tracing/spans';
import { OUTBOX_CHANNEL } from './event-publisher';
import type { OutboxRelayMetrics } from './outbox-metrics';
import { isPublicTopic, toCloudEventMessage, type EventEnvelope } from '@talent/events';

export interface OutboxRelayOptions {
  databaseUrl: string;
  /** The safety poll: a commit's NOTIFY wakes the relay at once; the poll catches only what a lost LISTEN connection missed. */
  pollIntervalMs: number;
  batchSize?: number;
  retentionHours: number;
  /** Prepended to each event's topic (see KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  /** Test seam: runs after Kafka accepted a batch (or one message) and before it is marked published (a crash there means a redelivery). */
  afterPublish?: (eventIds: string[]) => Promise<void> | void;
  /** Counts the events published and parked. */
  metrics?: OutboxRelayMetrics;
}

interface PendingRow {
  id: string;
  topic: string;
  message_key: string;
  type: string;
  envelope: { traceparent?: string };
}

/** Advisory lock id: one relay per database publishes at a time, so commit order is publish order. */
const RELAY_LOCK = 7_305_001;

/**
 * Unpublished, unparked events in commit order, except those whose key (topic and aggregate)
 * has a parked event: they wait behind it, so un-parking it keeps the key's order.
 */
const NEXT_BATCH = `
  SELECT o.id, o.topic, o.message_key, o.type, o.envelope FROM outbox o
  WHERE o.published_at IS NULL AND o.parked_at IS NULL
    AND NOT EXISTS (
      SELECT 1 FROM outbox p
      WHERE p.parked_at IS NOT NULL AND p.published_at IS NULL AND p.topic = o.topic AND p.message_key = o.message_key)
  ORDER BY o.seq LIMIT $1`;

/**
 * Publishes committed outbox rows to Kafka, oldest first, then marks them published.
 *
 * No transaction stays open while Kafka is called: the relay holds a session advisory lock
 * on its own connection for one batch (read, send, mark: each a short statement of its own)
 * and releases it after. A crash after Kafka accepted a batch but before the mark means the
 * batch is sent again (at least once); consumers deduplicate by event id. Any failure closes
 * that connection, which releases the lock, so another relay (or this one's next try) starts
 * afresh from the oldest unpublished row.
 *
 * A message the broker refuses for good (see `permanentRefusal`) is parked with the reason
 * (`outbox_parked_events` alerts) and the rest goes on; transient errors are retried forever, in
 * order. Wakes on NOTIFY from the publishing transaction's commit, and polls as a fallback.
 */
export class OutboxRelay {
  private running = false;
  private wake: (() => void) | null = null;
  private wakeRequested = false;
  private listener: Client | null = null;
  /** The connection that holds the advisory lock while a batch is read, sent and marked. */
  private session: Client | null = null;
  private loop: Promise<void> | null = null;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {}

  /** True while the relay waits for a commit's NOTIFY (or its safety poll): nothing left to publish. */
  get idle(): boolean {
    return this.wake !== null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.listen();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.notify();
    await this.loop;
    await this.listener?.end().catch(() => undefined);
    this.listener = null;
    await this.closeSession();
  }

  /** Publishes one batch; returns how many events were published or parked (0 when idle or another relay holds the lock). */
  async publishBatch(): Promise<number> {
    try {
      const session = await this.openSession();
      const {
        rows: [{ locked }],
      } = await session.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK]);
      if (!locked) return 0;
      const done = await this.publishLocked(session);
      await session.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK]);
      return done;
    } catch (error) {
      await this.closeSession(); // releases the lock with the session
      throw error;
    }
  }

  private async publishLocked(session: Client): Promise<number> {
    const { rows } = await session.query<PendingRow>(NEXT_BATCH, [this.options.batchSize ?? 200]);
    if (rows.length === 0) return 0;
    try {
      await this.send(rows);
    } catch (error) {
      if (!permanentRefusal(error)) {
        await this.recordFailure(session, rows, error);
        throw error;
      }
      // Some message of the batch is refused for good: find it by sending one at a time, in order.
      return this.publishOneByOne(session, rows);
    }
    await this.markPublished(session, rows);
    return rows.length;
  }

  private async publishOneByOne(session: Client, rows: PendingRow[]): Promise<number> {
    const blocked = new Set<string>(); // keys with an event parked in this pass: the rest of the key waits
    let done = 0;
    for (const row of rows) {
      const key = JSON.stringify([row.topic, row.message_key]);
      if (blocked.has(key)) continue;
      try {
        await this.send([row]);
      } catch (error) {
        const reason = permanentRefusal(error);
        if (!reason) {
          await this.recordFailure(session, [row], error);
          throw error;
        }
        await session.query('UPDATE outbox SET parked_at = now(), park_reason = $2, attempts = attempts + 1, last_error = $2 WHERE id = $1', [row.id, reason]);
        this.logger.error(
          { eventId: row.id, eventType: row.type, topic: row.topic, reason },
          'outbox event parked: the broker refused it for good; later events of its key wait behind it',
        );
        this.options.metrics?.parked(1);
        blocked.add(key);
        done++;
        continue;
      }
      await this.markPublished(session, [row]);
      done++;
    }
    return done;
  }

  private async send(rows: PendingRow[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    const spans: HopSpan[] = [];
    for (const row of rows) {
      const headers: Record<string, string> = { 'event-id': row.id, 'event-type': row.type };
      const topic = `${this.options.topicPrefix ?? ''}${row.topic}`;
      // One PRODUCER span per message, child of the writer's span (the envelope's): consumers chain on the header.
      const span = startHopSpan(
        `publish ${topic}`,
        {
          kind: SpanKind.PRODUCER,
          parent: row.envelope.traceparent,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'send',
            'messaging.destination.name': topic,
            'messaging.message.id': row.id,
            'cloudevents.event_type': row.type,
          },
        },
        row.envelope.traceparent,
      );
      spans.push(span);
      if (span.traceparent) headers.traceparent = span.traceparent;
      const list = byTopic.get(topic) ?? [];
      if (isPublicTopic(row.topic)) {
        // Partner topics carry CloudEvents (binary mode): ce_* headers, the payload alone as the value.
        const cloudEvent = toCloudEventMessage(row.envelope as EventEnvelope);
        list.push({ key: row.message_key, value: cloudEvent.value, headers: { ...cloudEvent.headers, ...headers } });
      } else {
        list.push({ key: row.message_key, value: JSON.stringify(row.envelope), headers });
      }
      byTopic.set(topic, list);
    }
    try {
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    } catch (error) {
      for (const span of spans) span.end(error);
      throw error;
    }
    for (const span of spans) span.end();
  }

  private async markPublished(session: Client, rows: PendingRow[]): Promise<void> {
    const ids = rows.map((r) => r.id);
    await this.options.afterPublish?.(ids);
    await session.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [ids]);
    this.options.metrics?.published(ids.length);
  }

  /** Best effort: why the events are still pending, for ops. */
  private async recordFailure(session: Client, rows: PendingRow[], error: unknown): Promise<void> {
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 1000);
    await session
      .query('UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::uuid[])', [rows.map((r) => r.id), message])
      .catch(() => undefined);
  }

  private async openSession(): Promise<Client> {
    if (this.session) return this.session;
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay', keepAlive: true });
    client.on('error', (error) => {
      this.logger.warn({ err: loggableError(error) }, 'outbox relay connection lost');
      if (this.session === client) this.session = null;
      void client.end().catch(() => undefined);
    });
    try {
      await client.connect();
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    this.session = client;
    return client;
  }

  private async closeSession(): Promise<void> {
    const client = this.session;
    this.session = null;
    await client?.end().catch(() => undefined);
  }

  private async run(): Promise<void> {
    let backoff = 0;
    while (this.running) {
      try {
        const published = await this.publishBatch();
        backoff = 0;
        await this.cleanupIfDue();
        if (published > 0) continue;
      } catch (error) {
        backoff = Math.min(backoff ? backoff * 2 : 200, 10_000);
        this.logger.error({ err: loggableError(error), retryInMs: backoff }, 'outbox relay failed to publish; will retry');
      }
      await this.sleep(backoff || this.options.pollIntervalMs);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      // A commit notified while a batch was being published (or a stop) must not wait for the next poll.
      if (this.wakeRequested || !this.running) {
        this.wakeRequested = false;
        resolve();
        return;
      }
      const done = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private notify(): void {
    if (this.wake) this.wake();
    else this.wakeRequested = true;
  }

  /**
   * A dedicated connection LISTENs for commits. Losing it only means polling until it is
   * back: it reconnects at once after a loss, then with a growing delay while it keeps failing,
   * and publishes what was committed meanwhile.
   */
  private async listen(failures = 0, afterLoss = false): Promise<void> {
    if (!this.running) return;
    // keepAlive: a connection the network dropped silently errors out (and reconnects) instead of waiting forever.
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay-listener', keepAlive: true });
    let listening = false;
    let retried = false;
    const retry = () => {
      if (retried) return;
      retried = true;
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
      if (!this.running) return;
      const delay = listening ? 0 : Math.min(30_000, 500 * 2 ** failures);
      setTimeout(() => void this.listen(listening ? 0 : failures + 1, true), delay).unref();
    };
    client.on('error', (error) => {
      this.logger.warn({ err: loggableError(error) }, 'outbox listener connection lost; polling until it reconnects');
      retry();
    });
    client.on('end', () => {
      if (this.running && !retried) this.logger.warn('outbox listener connection closed; polling until it reconnects');
      retry();
    });
    client.on('notification', () => this.notify());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (retried) return; // lost meanwhile: its retry is on its way
      if (!this.running) {
        retried = true; // stopped while connecting: nothing to reconnect
        await client.end().catch(() => undefined);
        return;
      }
      listening = true;
      this.listener = client;
      if (afterLoss) this.notify(); // commits made while disconnected
    } catch (error) {
      this.logger.warn({ err: loggableError(error) }, 'could not LISTEN for outbox commits; polling until it reconnects');
      retry();
    }
  }

  private async cleanupIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    await this.dataSource.query(`DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)`, [
      this.options.retentionHours * 3600,
    ]);
  }
}
