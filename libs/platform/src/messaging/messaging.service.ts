import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EventDefinition } from '@talent/events';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { APP_CONFIG, type BaseConfig } from '../config';
import { ROOT_LOGGER } from '../logging/root-logger';
import type { Metrics } from '../metrics/metrics';
import { METRICS } from '../metrics/metrics.controller';
import { createKafka, createProducer, kafkaIsReachable, kafkaSecurity } from './kafka';
import { OutboxRelay } from './outbox-relay';
import { OutboxRelayMetrics } from './outbox-metrics';
import { EventConsumer, type EventHandlerFn } from './event-consumer';
import { backoffDelay } from './failure-class';
import { ON_EVENT_METADATA } from './on-event.decorator';

/**
 * Owns the service's Kafka connections: the producer behind the outbox relay, and the
 * consumer that runs every `@OnEvent` handler found in the app.
 */
@Injectable()
export class MessagingService implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly kafka: Kafka;
  readonly producer: Producer;
  readonly relay: OutboxRelay;
  readonly consumer: EventConsumer;
  private readonly admin: Admin;
  private readonly log: Logger;
  private readonly shutdown = new AbortController();
  private consumerStart: Promise<void> = Promise.resolve();
  /** Crashes kafkajs did not recover from, in a row (each within a minute of the last), and when the last was. */
  private crashes = 0;
  private lastCrashAt = 0;

  constructor(
    @Inject(APP_CONFIG) config: BaseConfig,
    @Inject(ROOT_LOGGER) logger: Logger,
    private readonly dataSource: DataSource,
    private readonly discovery: DiscoveryService,
    @Inject(METRICS) metrics: Metrics,
  ) {
    this.log = logger.child({ component: 'messaging' });
    this.kafka = createKafka({
      clientId: config.KAFKA_CLIENT_ID ?? config.SERVICE_NAME,
      brokers: config.KAFKA_BROKERS,
      logger,
      security: kafkaSecurity(config),
    });
    this.producer = createProducer(this.kafka);
    this.admin = this.kafka.admin();
    this.relay = new OutboxRelay(dataSource, this.producer, this.log.child({ component: 'outbox-relay' }), {
      databaseUrl: config.DATABASE_URL,
      pollIntervalMs: config.OUTBOX_POLL_INTERVAL_MS,
      retentionHours: config.OUTBOX_RETENTION_HOURS,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      metrics: new OutboxRelayMetrics(metrics.registry),
    });
    this.consumer = new EventConsumer(this.kafka, this.producer, dataSource, this.log.child({ component: 'consumer' }), {
      groupId: config.KAFKA_GROUP_ID ?? config.SERVICE_NAME,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      maxWaitTimeInMs: config.KAFKA_CONSUMER_MAX_WAIT_MS,
      maxBatchSize: config.KAFKA_CONSUMER_BATCH_SIZE,
      partitionsConsumedConcurrently: config.KAFKA_CONSUMER_CONCURRENCY,
      retryBaseMs: config.CONSUMER_RETRY_BASE_MS,
      retryMaxMs: config.CONSUMER_RETRY_MAX_MS,
      metrics: metrics.registry,
      onCrashWithoutRestart: (err) => this.restartConsumer(err),
    });
  }

  /** Every provider exists by now: the consumer knows its handlers (and /health whether there is one) before anything starts. */
  onModuleInit(): void {
    this.registerHandlers();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.producer.connect();
    await this.admin.connect();
    await this.relay.start();
    // The consumer joins its group in the background, not before the service listens: a group's
    // first join waits out the broker's initial rebalance delay (Kafka's
    // group.initial.rebalance.delay.ms, 3 s by default, and the local broker's), and nothing the
    // service serves needs it (readiness is the database: see HealthController). Events wait in
    // the broker, at the group's committed offsets, until it has joined.
    this.consumerStart = this.startConsumer();
  }

  /** Before the database pool closes: the relay and the consumer still need it to finish their work. */
  async beforeApplicationShutdown(): Promise<void> {
    this.shutdown.abort();
    // A start still connecting (the broker away) is not waited for past 10 s: it stops itself once it returns.
    await Promise.race([this.consumerStart, sleep(10_000, undefined, { ref: false })]);
    await this.consumer.stop().catch((err) => this.log.warn({ err }, 'consumer stop failed'));
    await this.relay.stop().catch((err) => this.log.warn({ err }, 'relay stop failed'));
    await this.admin.disconnect().catch(() => undefined);
    await this.producer.disconnect().catch(() => undefined);
  }

  /**
   * Starts the consumer; should it fail to connect or subscribe (the broker away), tries again, 1 s
   * to 30 s apart, until it starts or the service stops. (A failed join is kafkajs's to retry: it
   * restarts the consumer itself after a retriable crash.) A start that outlasts shutdown's wait
   * is stopped by shutdown's `consumer.stop()`: EventConsumer.start() notices and goes no further.
   */
  private async startConsumer(): Promise<void> {
    for (let attempt = 1; !this.shutdown.signal.aborted; attempt++) {
      try {
        await this.consumer.start();
        if (!this.shutdown.signal.aborted) this.log.info({ topics: this.consumer.topics }, 'messaging started');
        return;
      } catch (err) {
        if (this.shutdown.signal.aborted) return void this.log.debug({ err }, 'consumer start abandoned at shutdown');
        this.log.error({ err, attempt }, 'the consumer could not start: trying again');
        await this.consumer.stop().catch(() => undefined);
        await sleep(backoffDelay(attempt, 1_000, 30_000), undefined, { signal: this.shutdown.signal }).catch(() => undefined);
      }
    }
  }

  /**
   * kafkajs leaves a consumer that crashed on a non-retriable error (an authorization refused, an
   * unexpected answer) disconnected for good, and events would wait unread until the process
   * restarts. It is started again here: after 1 s, doubling up to 30 s while crashes follow each
   * other within a minute.
   */
  private restartConsumer(err: Error): void {
    if (this.shutdown.signal.aborted) return;
    const now = Date.now();
    this.crashes = now - this.lastCrashAt < 60_000 ? this.crashes + 1 : 1;
    this.lastCrashAt = now;
    const delay = backoffDelay(this.crashes, 1_000, 30_000);
    this.log.error({ err, restartInMs: delay }, 'the consumer crashed and kafkajs will not restart it: starting it again');
    this.consumerStart = (async () => {
      await this.consumer.stop().catch(() => undefined);
      await sleep(delay, undefined, { signal: this.shutdown.signal }).catch(() => undefined);
      await this.startConsumer();
    })();
  }

  isKafkaReachable(): Promise<boolean> {
    return kafkaIsReachable(this.admin);
  }

  private registerHandlers(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string | symbol, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const entries: Array<{ definition: EventDefinition; method: string | symbol }> | undefined = Reflect.getMetadata(ON_EVENT_METADATA, wrapper.metatype);
      for (const { definition, method } of entries ?? []) {
        const fn = (instance[method] as EventHandlerFn).bind(instance);
        this.consumer.on(definition, fn);
      }
    }
  }
}
