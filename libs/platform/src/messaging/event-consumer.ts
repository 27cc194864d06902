import { DeadLetterHeaders as H, deadLetterTopic, parseCloudEventMessage, parseEvent, type EventDefinition, type EventEnvelope } from '@talent/events';
import type { Consumer, EachBatchPayload, EachMessagePayload, IHeaders, Kafka, KafkaMessage, Producer } from 'kafkajs';
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
  /** Most messages of a partition applied together in one transaction (see `applyTogether`). Default 100; 1 applies each alone. */
  maxBatchSize?: number;
  /** Partitions whose batches are applied at the same time (kafkajs `partitionsConsumedConcurrently`). Default 1. */
  partitionsConsumedConcurrently?: number;
  /**
   * Called when the consumer crashed on an error kafkajs does not restart it after (a non-retriable
   * one: an authorization refused, an unexpected protocol answer): kafkajs has disconnected it and
   * leaves it so. Whoever started the consumer starts it again (see MessagingService).
   */
  onCrashWithoutRestart?: (error: Error) => void;
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
 *
 * A partition's messages are applied in batches: up to `maxBatchSize` in one transaction, the
 * inbox written in one statement, the handlers run in offset order, and what they deferred to
 * commit (see `deferUntilCommit`) written at the end in a few statements. Should anything in
 * the batch fail, the transaction rolls back and its messages are applied one by one as above,
 * so a failure is retried, refused or dead-lettered exactly as it would be alone.
 */
export class EventConsumer {
  private readonly handlers = new Map<string, { definition: EventDefinition; fns: EventHandlerFn[] }>();
  private consumer: Consumer | null = null;
  private readonly metrics: ConsumerMetrics | null;
  /** Per held partition: the offset being retried, its attempts so far, and the pending resume. */
  private readonly held = new Map<string, { offset: string; attempts: number; timer?: NodeJS.Timeout }>();
  /** Since when (ms) the consumer has been out of its group: not started, joining, rebalancing, crashed, stopped. Null while in it. */
  private outOfGroupSince: number | null = Date.now();
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

  /**
   * Whether the consumer is in its group (it has joined and is given partitions to read), or has
   * been out of it for less than `graceMs`: a start, a rebalance, or kafkajs's own restart after a
   * retriable crash take some seconds each, and are no news.
   */
  isInGroup(graceMs: number): boolean {
    return this.outOfGroupSince === null || Date.now() - this.outOfGroupSince < graceMs;
  }

  async start(): Promise<void> {
    if (this.handlers.size === 0 || this.consumer) return;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      maxWaitTimeInMs: this.options.maxWaitTimeInMs,
      allowAutoTopicCreation: true,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      this.outOfGroupSince = null;
      this.releaseRevoked(payload.memberAssignment);
    });
    const leftGroup = () => (this.outOfGroupSince ??= Date.now());
    consumer.on(consumer.events.REBALANCING, leftGroup);
    consumer.on(consumer.events.STOP, leftGroup);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      leftGroup();
      if (!payload.restart && this.consumer === consumer) this.options.onCrashWithoutRestart?.(payload.error);
    });
    // stop() during a start (a shutdown while the broker is away) forgets this consumer: whatever
    // step then completes, the consumer is disconnected and the start goes no further.
    const abandoned = async (): Promise<boolean> => {
      if (this.consumer === consumer) return false;
      await consumer.disconnect().catch(() => undefined);
      return true;
    };
    await consumer.connect();
    if (await abandoned()) return;
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    if (await abandoned()) return;
    // eachBatch without auto-resolve: an offset is resolved (and later committed) only once its event is settled.
    await consumer.run({
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    await abandoned();
  }

  async stop(): Promise<void> {
    for (const [key, held] of this.held) {
      clearTimeout(held.timer);
      const [topic, partition] = splitKey(key);
      this.metrics?.setPaused(topic, partition, false);
    }
    this.held.clear();
    // Cleared first: a disconnect that throws must not leave a consumer that makes the next start() a no-op.
    const consumer = this.consumer;
    this.consumer = null;
    this.outOfGroupSince ??= Date.now();
    await consumer?.disconnect();
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

  /**
   * Applies messages of one partition, together in one transaction when they allow it, else one
   * by one (retrying in place like `handle`). Public so tests and benchmarks can drive the batch path without a broker.
   */
  async handleBatch(topic: string, partition: number, messages: KafkaMessage[]): Promise<void> {
    let rest = messages;
    for (let together = 1; rest.length > 1 && together > 0; rest = rest.slice(together)) together = await this.settleTogether(topic, partition, rest);
    for (const message of rest) await this.handle({ topic, partition, message });
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const key = `${topic}|${partition}`;
    const high = BigInt(batch.highWatermark);
    if (batch.messages.length > 0) this.metrics?.setLag(topic, partition, Number(high - BigInt(batch.messages[0].offset)));
    const size = Math.max(1, this.options.maxBatchSize ?? 100);
    for (let start = 0; start < batch.messages.length; start += size) {
      if (!isRunning() || isStale()) return;
      let chunk = batch.messages.slice(start, start + size);
      // A held partition retries its held message alone first.
      while (chunk.length > 1 && !this.held.has(key)) {
        const together = await this.settleTogether(topic, partition, chunk);
        if (together === 0) break;
        const last = chunk[together - 1].offset;
        resolveOffset(last);
        this.metrics?.setLag(topic, partition, Number(high - BigInt(last) - 1n));
        await commitOffsetsIfNecessary();
        await heartbeat();
        chunk = chunk.slice(together);
      }
      if (!(await this.consumeOneByOne(topic, partition, chunk, { resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary }, high)))
        return;
    }
  }

  /** The messages one at a time; false when the partition is now held (or the consumer stopping). */
  private async consumeOneByOne(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    { resolveOffset, heartbeat, pause, isRunning, isStale, commitOffsetsIfNecessary }: Omit<EachBatchPayload, 'batch' | 'uncommittedOffsets'>,
    high: bigint,
  ): Promise<boolean> {
    const key = `${topic}|${partition}`;
    for (const message of messages) {
      if (!isRunning() || isStale()) return false;
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
        return false;
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
    return true;
  }

  /**
   * Settles as many of the leading messages as it can together; returns how many (the rest go
   * one by one). A handler's refusal is final, so the refused event is not run again: the events
   * before it are applied together, it is dead-lettered, and the count goes on after it.
   */
  private async settleTogether(topic: string, partition: number, messages: KafkaMessage[]): Promise<number> {
    const result = await this.applyTogether(topic, partition, messages);
    if (result === 'applied') return messages.length;
    if (result === 'failed') return 0;
    const { index, event, error } = result;
    const before = index > 0 ? await this.settleTogether(topic, partition, messages.slice(0, index)) : 0;
    if (before < index) return before; // the one-by-one path takes it from there (running the refused event once more)
    await this.refuse({ topic, partition, message: messages[index] }, event, error);
    this.metrics?.consumed(topic, 'dead-lettered');
    return index + 1;
  }

  /**
   * Applies messages in one transaction, in offset order: 'applied' when done (each applied, a
   * duplicate or ignored); the event a handler refused for good (nothing applied); or 'failed'
   * when they must go one by one instead: one of them is invalid or forged (dead-lettered
   * alone), or anything else failed (the transaction rolled back whole).
   */
  private async applyTogether(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
  ): Promise<'applied' | 'failed' | { index: number; event: EventEnvelope; error: unknown }> {
    const items: Array<{ message: KafkaMessage; event?: EventEnvelope; fns?: EventHandlerFn[] }> = [];
    for (const message of messages) {
      const replayFor = headerText(message.headers, H.replayFor);
      if (replayFor !== undefined && replayFor !== this.options.groupId) {
        items.push({ message });
        continue;
      }
      const parsed =
        headerText(message.headers, 'ce_specversion') !== undefined
          ? parseCloudEventMessage(message, this.options.catalog)
          : parseEvent(message.value, this.options.catalog);
      if (!parsed.ok) return 'failed';
      const entry = this.handlers.get(parsed.event.type);
      if (entry && this.notFromOwner(topic, parsed.event, entry.definition)) return 'failed';
      items.push({ message, event: parsed.event, fns: entry?.fns });
    }
    const handled = items.filter((i) => i.fns);
    let applied = new Set<string>();
    let running: { index: number; event: EventEnvelope } | undefined; // the event whose handlers run
    try {
      if (handled.length > 0) {
        // No span of the batch's own: each event's CONSUMER span is a child of its producer's, and the work
        // deferred to commit carries the span of the event that queued it (a batch span would start a new trace).
        applied = await this.dataSource.transaction(async (tx) => {
          const inserted: Array<{ event_id: string }> = await tx.query(
            `INSERT INTO inbox (event_id, type, topic) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[]) ON CONFLICT (event_id) DO NOTHING RETURNING event_id`,
            [handled.map((i) => i.event!.id), handled.map((i) => i.event!.type), handled.map(() => topic)],
          );
          const fresh = new Set(inserted.map((r) => r.event_id.toLowerCase()));
          const done = new Set<string>();
          for (const { event, fns, message } of handled) {
            const id = event!.id.toLowerCase();
            if (!fresh.delete(id)) continue; // redelivered, or a second copy in this batch
            running = { index: messages.indexOf(message), event: event! };
            await inHopSpan(`process ${event!.type}`, this.consumingSpan(topic, event!, message), async () => {
              for (const fn of fns!) await fn(event!, tx);
            });
            done.add(id);
          }
          running = undefined; // what fails from here (the work deferred to commit) belongs to no one event
          return done;
        });
      }
    } catch (error) {
      const failure = classifyFailure(error);
      if (running && failure === 'permanent') return { ...running, error };
      this.logger.info(
        { topic, partition, messages: messages.length, failure, errorClass: errorClassOf(error) },
        'batch not applied together; applying its messages one by one',
      );
      return 'failed';
    }
    for (const { event, fns } of items) {
      const outcome: Outcome = !fns ? 'ignored' : applied.has(event!.id.toLowerCase()) ? 'applied' : 'duplicate';
      if (outcome === 'applied') this.stats.applied++;
      if (outcome === 'duplicate') this.stats.duplicates++;
      this.metrics?.consumed(topic, outcome);
    }
    return 'applied';
  }

  /** The CONSUMER span of one delivery: a child of the producer's (the header; the envelope's as a fallback). */
  private consumingSpan(topic: string, event: EventEnvelope, message: KafkaMessage) {
    return {
      kind: SpanKind.CONSUMER,
      parent: headerText(message.headers, 'traceparent') ?? event.traceparent,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.consumer.group.name': this.options.groupId,
        'messaging.message.id': event.id,
        'cloudevents.event_type': event.type,
      },
    };
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
      const applied = await inHopSpan(`process ${event.type}`, this.consumingSpan(topic, event, message), () =>
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
      await this.refuse({ topic, partition, message }, event, error);
      return 'dead-lettered';
    }
  }

  /** A handler refused the event for good (a DomainError): dead-lettered at once, with the reason. */
  private async refuse(delivery: Delivery, event: EventEnvelope, error: unknown): Promise<void> {
    this.logger.warn(
      { eventId: event.id, eventType: event.type, traceparent: event.traceparent, err: loggableError(error) },
      'event refused by its handler; dead-lettering',
    );
    // The reason goes to the dead-letter headers scrubbed of values (a SQL error's key detail, e-mails).
    const reason = `handler refused the event: ${scrubText(String((error as Error)?.message ?? error))}`;
    await this.deadLetter(delivery, 'permanent', reason, event, errorClassOf(error));
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
