import { DeadLetterHeaders as H, deadLetterTopic, parseCloudEventMessage, parseEvent, type EventDefinition, type EventEnvelope } from '@talent/events';
import type { Consumer, EachBatchPayload, EachMessagePayload, IHeaders, Kafka, Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { DataSource, EntityManager } from 'typeorm';
import type { Logger } from 'pino';
import { loggableError, scrubText } from '../logging/redaction';
import { inHopSpan, SpanKind } from '../tracing/spans';
import { ConsumerMetrics, type DeadLetterKind } from './consumer-metrics';
import { backoffDelay, classifyFailure, errorClassOf, type FailureClass } from './failure-class';

export type EventHandlerFn = (event: EventEnvelope, tx: EntityManager) => Promise<void>;

export interface EventConsumerOptions {
  groupId: string;
  /** Prepended to each event's topic (see KAFKA_TOPIC_PREFIX). */
  topicPrefix?: string;
  maxWaitTimeInMs: number;
  /** First retry delay of a transient failure (doubled at each attempt, with jitter). Default 200 ms. */
  retryBaseMs?: number;
  /** Longest retry delay: how long after an outage ends a held partition may still wait. Default 5 s. */
  retryMaxMs?: number;
  /**
   * In-process deliveries only (`handle()`, used by tests): attempts at a retryable failure before
   * its error is thrown to the caller. Unlimited by default. Consuming from the broker never gives up.
   */
  maxAttempts?: number;
  /** Event definitions messages are validated against; defaults to the network's EVENT_CATALOG. */
  catalog?: ReadonlyMap<string, EventDefinition>;
  /** Where the consumer's metrics go (lag, retries, dead letters, paused partitions). */
  metrics?: Registry;
}

export interface ConsumeStats {
  applied: number;
  duplicates: number;
  deadLettered: number;
  /** Failed attempts that were (or will be) retried. */
  retries: number;
}

type Delivery = Pick<EachMessagePayload, 'topic' | 'partition' | 'message'>;
type Outcome = 'applied' | 'duplicate' | 'ignored' | 'dead-lettered';

/** A failure worth another attempt: the event stays where it is, nothing is committed past it. */
class RetryableFailure extends Error {
  constructor(
    readonly failure: FailureClass,
    readonly error: unknown,
  ) {
    super('retryable failure', { cause: error });
  }
}

/**
 * Consumes events for the handlers registered on it, effectively once:
 * - every message is validated (envelope, type, version, payload); an invalid one goes to `<topic>.dlq` with the reason;
 * - an event not from its owner (catalog `source`, on the owner's topic) is dead-lettered the same way;
 * - the event id is recorded in the inbox in the same transaction as the handlers' changes,
 *   so a redelivered (or replayed) event changes nothing;
 * - a handler's DomainError refuses the event for good: dead-lettered at once, with the reason;
 * - any other failure (database, Redis, network, or unrecognised: see `classifyFailure`) is
 *   retried with capped exponential backoff for as long as it takes. Only that partition
 *   waits: it is paused (kafkajs `pause`), the others go on, the group keeps heartbeating,
 *   and its offset is committed only once the event is applied, so a restart resumes there.
 */
export class EventConsumer {
  private readonly handlers = new Map<string, { definition: EventDefinition; fns: EventHandlerFn[] }>();
  private consumer: Consumer | null = null;
  private readonly metrics: ConsumerMetrics | null;
  /** Per held partition: the offset being retried, its attempts so far, and the pending resume. */
  private readonly held = new Map<string, { offset: string; attempts: number; timer?: NodeJS.Timeout }>();
  readonly stats: ConsumeStats = { applied: 0, duplicates: 0, deadLettered: 0, retries: 0 };

  constructor(
    private readonly kafka: Kafka,
    private readonly producer: Producer,
    private readonly dataSource: DataSource,
    private readonly logger: Logger,
    private readonly options: EventConsumerOptions,
  ) {
    this.metrics = options.metrics ? new ConsumerMetrics(options.metrics) : null;
  }

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

  /** Partitions currently held on a failure, as `topic|partition`. */
  get heldPartitions(): string[] {
    return [...this.held.keys()];
  }

  async start(): Promise<void> {
    if (this.handlers.size === 0 || this.consumer) return;
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs,
      allowAutoTopicCreation: true,
    });
    this.consumer.on(this.consumer.events.GROUP_JOIN, ({ payload }) => this.releaseRevoked(payload.memberAssignment));
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: true });
    // eachBatch without auto-resolve: an offset is resolved (and later committed) only once its event is settled.
    await this.consumer.run({ eachBatchAutoResolve: false, eachBatch: (payload) => this.consumeBatch(payload) });
  }

  async stop(): Promise<void> {
    for (const [key, held] of this.held) {
      clearTimeout(held.timer);
      const [topic, partition] = splitKey(key);
      this.metrics?.setPaused(topic, partition, false);
    }
    this.held.clear();
    await this.consumer?.disconnect();
    this.consumer = null;
  }

  /**
   * After a rebalance, a held partition now assigned to another member is that member's to retry:
   * resume it here (kafkajs keeps a pause across assignments) and stop reporting it as held.
   */
  private releaseRevoked(assignment: Record<string, number[]>): void {
    for (const [key, held] of this.held) {
      const [topic, partition] = splitKey(key);
      if (assignment[topic]?.includes(partition)) continue;
      clearTimeout(held.timer);
      this.held.delete(key);
      this.consumer?.resume([{ topic, partitions: [partition] }]);
      this.metrics?.setPaused(topic, partition, false);
    }
  }

  /**
   * Applies one raw message, retrying in place until it is settled (applied, a duplicate,
   * ignored or dead-lettered) or `maxAttempts` is reached. Public so tests and in-process deliveries can drive it without a broker.
   */
  async handle(delivery: Delivery): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.settle(delivery);
        return;
      } catch (error) {
        if (attempt >= (this.options.maxAttempts ?? Infinity)) throw error instanceof RetryableFailure ? error.error : error;
        const delay = this.retryDelay(attempt);
        this.logRetry(delivery, error, attempt, delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = `${topic}|${partition}`;
    const high = BigInt(batch.highWatermark);
    if (batch.messages.length > 0) this.metrics?.setLag(topic, partition, Number(high - BigInt(batch.messages[0].offset)));
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      const held = this.held.get(key);
      try {
        await this.settle({ topic, partition, message });
      } catch (error) {
        // Hold the partition: pause fetching it, come back to this very message after the delay.
        const attempts = held?.offset === message.offset ? held.attempts + 1 : 1;
        const delay = this.retryDelay(attempts);
        this.logRetry({ topic, partition, message }, error, attempts, delay);
        const resume = pause();
        this.held.set(key, { offset: message.offset, attempts, timer: setTimeout(resume, delay) });
        this.metrics?.setPaused(topic, partition, true);
        return;
      }
      if (held) {
        clearTimeout(held.timer);
        this.held.delete(key);
        this.metrics?.setPaused(topic, partition, false);
        this.logger.info({ topic, partition, offset: message.offset, attempts: held.attempts + 1 }, 'partition released: the held message was applied');
      }
      resolveOffset(message.offset);
      this.metrics?.setLag(topic, partition, Number(high - BigInt(message.offset) - 1n));
      await commitOffsetsIfNecessary();
      // Keeps the group membership alive through a long batch.
      await heartbeat();
    }
  }

  /** Settles a message, or throws a RetryableFailure (nothing of it committed). */
  private async settle(delivery: Delivery): Promise<Outcome> {
    const outcome = await this.process(delivery);
    if (outcome === 'applied') this.stats.applied++;
    if (outcome === 'duplicate') this.stats.duplicates++;
    this.metrics?.consumed(delivery.topic, outcome);
    return outcome;
  }

  private async process({ topic, partition, message }: Delivery): Promise<Outcome> {
    const replayFor = headerText(message.headers, H.replayFor);
    // A dead letter replayed for another consumer group: that group's business, not ours.
    if (replayFor !== undefined && replayFor !== this.options.groupId) return 'ignored';
    // Partner topics carry CloudEvents in binary mode (ce_* headers, the payload as the value).
    const parsed =
      headerText(message.headers, 'ce_specversion') !== undefined
        ? parseCloudEventMessage(message, this.options.catalog)
        : parseEvent(message.value, this.options.catalog);
    if (!parsed.ok) {
      await this.deadLetter({ topic, partition, message }, 'invalid', parsed.reason);
      return 'dead-lettered';
    }
    const entry = this.handlers.get(parsed.event.type);
    if (!entry) return 'ignored'; // another service's concern
    const { event } = parsed;
    const forged = this.notFromOwner(topic, event, entry.definition);
    if (forged) {
      await this.deadLetter({ topic, partition, message }, 'forged', forged, event);
      return 'dead-lettered';
    }
    try {
      // A CONSUMER span per delivery, child of the producer's (the header; the envelope's as a fallback): the
      // handlers, their queries and the events they publish are part of it, so follow-up events chain on.
      const consuming = {
        kind: SpanKind.CONSUMER,
        parent: headerText(message.headers, 'traceparent') ?? event.traceparent,
        attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'process', 'messaging.destination.name': topic, 'messaging.consumer.group.name': this.options.groupId, 'messaging.message.id': event.id, 'cloudevents.event_type': event.type },
      };
      const applied = await inHopSpan(`process ${event.type}`, consuming, () =>
        this.dataSource.transaction(async (tx) => {
          const inserted: unknown[] = await tx.query(
            `INSERT INTO inbox (event_id, type, topic) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
            [event.id, event.type, topic],
          );
          if (inserted.length === 0) return false;
          for (const fn of entry.fns) await fn(event, tx);
          return true;
        }),
      );
      if (!applied) this.logger.debug({ eventId: event.id, eventType: event.type }, 'duplicate delivery ignored');
      return applied ? 'applied' : 'duplicate';
    } catch (error) {
      const failure = classifyFailure(error);
      if (failure !== 'permanent') throw new RetryableFailure(failure, error);
      this.logger.warn(
        { eventId: event.id, eventType: event.type, traceparent: event.traceparent, err: loggableError(error) },
        'event refused by its handler; dead-lettering',
      );
      // The reason goes to the dead-letter headers scrubbed of values (a SQL error's key detail, e-mails).
      const reason = `handler refused the event: ${scrubText(String((error as Error)?.message ?? error))}`;
      await this.deadLetter({ topic, partition, message }, 'permanent', reason, event, errorClassOf(error));
      return 'dead-lettered';
    }
  }

  private retryDelay(attempt: number): number {
    return backoffDelay(attempt, this.options.retryBaseMs ?? 200, this.options.retryMaxMs ?? 5_000);
  }

  private logRetry({ topic, partition, message }: Delivery, error: unknown, attempt: number, retryInMs: number): void {
    // A failure of dead-lettering itself (the broker) is retried like any other transient one.
    const failure = error instanceof RetryableFailure ? error.failure : classifyFailure(error);
    const cause = error instanceof RetryableFailure ? error.error : error;
    this.stats.retries++;
    this.metrics?.retried(topic, failure);
    const fields = { topic, partition, offset: message.offset, failure, errorClass: errorClassOf(cause), err: loggableError(cause), attempt, retryInMs };
    // Unrecognised failures may be bugs: say so loudly, but hold the event rather than skip it (see FailureClass).
    if (failure === 'unclassified') this.logger.error(fields, 'event failed with an unclassified error; holding the partition and retrying');
    else this.logger.warn(fields, 'event failed transiently; holding the partition and retrying');
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
    { topic, partition, message }: Delivery,
    kind: DeadLetterKind,
    reason: string,
    event?: EventEnvelope,
    errorClass?: string,
  ): Promise<void> {
    this.logger.warn({ topic, partition, offset: message.offset, eventId: event?.id, failure: kind, reason }, 'message dead-lettered');
    // The original headers (traceparent...) travel on; those of an earlier dead-lettering or replay are replaced.
    const original = Object.fromEntries(Object.entries(message.headers ?? {}).filter(([name]) => !name.startsWith('dlq-')));
    const headers: IHeaders = {
      ...original,
      [H.reason]: reason.slice(0, 2000),
      [H.failure]: kind,
      [H.errorClass]: errorClass ?? (kind === 'invalid' ? 'InvalidEvent' : 'ForgedEvent'),
      [H.sourceTopic]: topic,
      [H.sourcePartition]: String(partition),
      [H.sourceOffset]: message.offset,
      [H.consumerGroup]: this.options.groupId,
      [H.failedAt]: new Date().toISOString(),
    };
    if (event) Object.assign(headers, { [H.eventId]: event.id, [H.eventType]: event.type });
    await this.producer.send({ topic: deadLetterTopic(topic), acks: -1, messages: [{ key: message.key, value: message.value, headers }] });
    this.stats.deadLettered++;
    this.metrics?.deadLettered(topic, kind);
  }
}

function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value[0] : value)?.toString();
}

function splitKey(key: string): [string, number] {
  const at = key.lastIndexOf('|');
  return [key.slice(0, at), Number(key.slice(at + 1))];
}
