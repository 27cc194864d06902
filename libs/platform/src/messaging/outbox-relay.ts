import { Client } from 'pg';
import type { Producer, Message } from 'kafkajs';
import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { loggableError } from '../logging/redaction';
import { OUTBOX_CHANNEL } from './event-publisher';

export interface OutboxRelayOptions {
  databaseUrl: string;
  pollIntervalMs: number;
  batchSize?: number;
  retentionHours: number;
  /** Prepended to each event's topic (see KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  /** Test seam: runs after Kafka accepted a batch and before it is marked published (a crash there means a redelivery). */
  afterPublish?: (eventIds: string[]) => Promise<void> | void;
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
 * Publishes committed outbox rows to Kafka, oldest first, then marks them published.
 * A crash after Kafka accepted a batch but before the mark means the batch is sent
 * again (at least once); consumers deduplicate by event id. Wakes on NOTIFY from the
 * publishing transaction's commit, and polls as a fallback.
 */
export class OutboxRelay {
  private running = false;
  private wake: (() => void) | null = null;
  private wakeRequested = false;
  private listener: Client | null = null;
  private loop: Promise<void> | null = null;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly producer: Producer,
    private readonly logger: Logger,
    private readonly options: OutboxRelayOptions,
  ) {}

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
  }

  /** Publishes one batch; returns how many events were published (0 when idle or another relay holds the lock). */
  async publishBatch(): Promise<number> {
    const batchSize = this.options.batchSize ?? 200;
    return this.dataSource.transaction(async (tx) => {
      const [{ locked }] = await tx.query('SELECT pg_try_advisory_xact_lock($1) AS locked', [RELAY_LOCK]);
      if (!locked) return 0;
      const rows: PendingRow[] = await tx.query(
        `SELECT id, topic, message_key, type, envelope FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1`,
        [batchSize],
      );
      if (rows.length === 0) return 0;
      const byTopic = new Map<string, Message[]>();
      for (const row of rows) {
        const headers: Record<string, string> = { 'event-id': row.id, 'event-type': row.type };
        if (row.envelope.traceparent) headers.traceparent = row.envelope.traceparent;
        const topic = `${this.options.topicPrefix ?? ''}${row.topic}`;
        const list = byTopic.get(topic) ?? [];
        list.push({ key: row.message_key, value: JSON.stringify(row.envelope), headers });
        byTopic.set(topic, list);
      }
      await this.producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      const ids = rows.map((r) => r.id);
      await this.options.afterPublish?.(ids);
      await tx.query('UPDATE outbox SET published_at = now() WHERE id = ANY($1::uuid[])', [ids]);
      return rows.length;
    });
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
   * back: it reconnects with a growing delay while the relay runs.
   */
  private async listen(attempt = 0): Promise<void> {
    if (!this.running) return;
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: 'outbox-relay-listener' });
    let retried = false;
    const retry = () => {
      if (retried) return;
      retried = true;
      if (this.listener === client) this.listener = null;
      void client.end().catch(() => undefined);
      if (!this.running) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt);
      setTimeout(() => void this.listen(attempt + 1), delay).unref();
    };
    client.on('error', (error) => {
      this.logger.warn({ err: loggableError(error) }, 'outbox listener connection lost; polling until it reconnects');
      retry();
    });
    client.on('notification', () => this.notify());
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      this.listener = client;
      if (attempt > 0) this.notify(); // commits made while disconnected
    } catch (error) {
      this.logger.warn({ err: loggableError(error) }, 'could not LISTEN for outbox commits; polling until it reconnects');
      retry();
    }
  }


  private async cleanupIfDue(): Promise<void> {
    const now = Date.now();
    if (now - this.lastCleanup < 60_000) return;
    this.lastCleanup = now;
    await this.dataSource.query(
      `DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < now() - make_interval(secs => $1)`,
      [this.options.retentionHours * 3600],
    );
  }
}
