import { deadLetterTopic, parseEvent, type EventDefinition, type EventEnvelope } from '@talent/events';
import type { Consumer, EachMessagePayload, Kafka, Producer } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { DomainError } from '../errors';
import { loggableError, scrubText } from '../logging/redaction';

export type EventHandlerFn = (event: EventEnvelope, tx: EntityManager) => Promise<void>;

export interface EventConsumerOptions {
  groupId: string;
  /** Prepended to each event's topic (see KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  maxWaitTimeInMs: number;
  /** Attempts for a failing handler before the message is dead-lettered. */
  maxAttempts?: number;
  retryBaseMs?: number;
  /** Event definitions messages are validated against; defaults to the network's EVENT_CATALOG. */
  catalog?: ReadonlyMap<string, EventDefinition>;
}

export interface ConsumeStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
}

/**
 * Consumes events for the handlers registered on it, effectively once:
 * - every message is validated (envelope, type, version, payload); an invalid one goes to `<topic>.dlq` with the reason;
 * - an event not from its owner (catalog `source`, on the owner's topic) is dead-lettered the same way;
 * - the event id is recorded in the inbox in the same transaction as the handlers' changes,
 *   so a redelivered event changes nothing;
 * - a handler that keeps failing is retried, then dead-lettered, so one bad event never blocks the partition.
 */
export class EventConsumer {
  private readonly handlers = new Map<string, { definition: EventDefinition; fns: EventHandlerFn[] }>();
  private consumer: Consumer | null = null;
  readonly stats: ConsumeStats = { applied: 0, duplicates: 0, deadLettered: 0 };

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly options: EventConsumerOptions,
  ) {}

  on(definition: EventDefinition, fn: EventHandlerFn): this {
    const entry = this.handlers.get(definition.type) ?? { definition, fns: [] };
    entry.fns.push(fn);
    this.handlers.set(definition.type, entry);
    return this;
  }

  get topics(): string[] {
    const prefix = this.options.topicPrefix ?? '';
    return [...new Set([...this.handlers.values()].map((h) => `${prefix}${h.definition.topic}`))];
  }

  async start(): Promise<void> {
    if (this.handlers.size === 0 || this.consumer) return;
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs,
      allowAutoTopicCreation: true,
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.consumer.run({ eachMessage: (payload) => this.handle(payload) });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    this.consumer = null;
  }

  /** Applies one raw message. Public so tests and replays can drive it without a broker. */
  async handle({ topic, partition, message }: Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>): Promise<void> {
    const parsed = parseEvent(message.value, this.options.catalog);
    if (!parsed.ok) {
      await this.deadLetter(topic, partition, message, parsed.reason);
      return;
    }
    const entry = this.handlers.get(parsed.event.type);
    if (!entry) return; // another service's concern
    const { event } = parsed;
    const forged = this.notFromOwner(topic, event, entry.definition);
    if (forged) {
      await this.deadLetter(topic, partition, message, forged);
      return;
    }
    const log = this.logger.child({ eventId: event.id, eventType: event.type, traceparent: event.traceparent });
    const maxAttempts = this.options.maxAttempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      try {
        const applied = await this.dataSource.transaction(async (tx) => {
          const inserted: unknown[] = await tx.query(
            `INSERT INTO inbox (event_id, type, topic) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
            [event.id, event.type, topic],
          );
          if (inserted.length === 0) return false;
          for (const fn of entry.fns) await fn(event, tx);
          return true;
        });
        if (applied) this.stats.applied++;
        else {
          this.stats.duplicates++;
          log.debug('duplicate delivery ignored');
        }
        return;
      } catch (error) {
        const permanent = error instanceof DomainError;
        if (permanent || attempt >= maxAttempts) {
          log.error({ err: loggableError(error), attempt }, 'event handler failed; dead-lettering');
          // The reason goes to the log and to the dead-letter headers: scrubbed of values (a SQL error's key detail, e-mails).
          await this.deadLetter(topic, partition, message, `handler failed after ${attempt} attempt(s): ${scrubText(String((error as Error)?.message ?? error))}`);
          return;
        }
        const delay = (this.options.retryBaseMs ?? 100) * 2 ** (attempt - 1);
        log.warn({ err: loggableError(error), attempt, retryInMs: delay }, 'event handler failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * An event is accepted only from the service that owns its type, on that service's topic:
   * a `source` other than the catalog's producer, or a topic other than the producer's (say a
   * ReferralQualified written to jobs' topic), is refused for good. Kafka ACLs enforce the
   * same in production; this check holds wherever they are missing or misconfigured.
   */
  private notFromOwner(topic: string, event: EventEnvelope, definition: EventDefinition): string | null {
    if (event.source !== definition.source) return `${event.type} must come from ${definition.source}, not from source "${event.source}"`;
    const expected = `${this.options.topicPrefix ?? ''}${definition.topic}`;
    if (topic !== expected) return `${event.type} is published on ${expected} only, not on ${topic}`;
    return null;
  }

  private async deadLetter(
    topic: string,
    partition: number,
    message: EachMessagePayload['message'],
    reason: string,
  ): Promise<void> {
    this.stats.deadLettered++;
    this.logger.warn({ topic, partition, offset: message.offset, reason }, 'message dead-lettered');
    await this.producer.send({
      topic: deadLetterTopic(topic),
      acks: -1,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            ...message.headers,
            'dlq-reason': reason.slice(0, 2000),
            'dlq-source-topic': topic,
            'dlq-source-partition': String(partition),
            'dlq-source-offset': message.offset,
            'dlq-consumer-group': this.options.groupId,
            'dlq-failed-at': new Date().toISOString(),
          },
        },
      ],
    });
  }
}
