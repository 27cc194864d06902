import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { ROOT_LOGGER } from '../logging/root-logger';
import { MessagingService } from '../messaging/messaging.service';
import { Metrics } from '../metrics/metrics';
import { METRICS } from '../metrics/metrics.controller';
import { REDIS } from '../redis/redis.provider';
import { DependencyMonitor } from './dependency-monitor';

/**
 * How long the event consumer may be out of its group before /health says so: a start (the broker's
 * initial rebalance delay), a rebalance or kafkajs's restart after a retriable crash take seconds.
 */
export const CONSUMER_OUT_OF_GROUP_GRACE_MS = 30_000;

/**
 * A service's PostgreSQL, Redis and Kafka, and its event consumer's place in its group (when it
 * has handlers), checked every 5 s for `/health` and `dependency_up`.
 */
@Injectable()
export class ServiceDependencies extends DependencyMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    dataSource: DataSource,
    private readonly messaging: MessagingService,
    @Inject(REDIS) redis: Redis,
    @Inject(METRICS) metrics: Metrics,
    @Inject(ROOT_LOGGER) logger: Logger,
  ) {
    super(
      {
        postgres: async () => (await dataSource.query('SELECT 1 AS ok')).length === 1,
        redis: async () => (await redis.ping()) === 'PONG',
        kafka: () => messaging.isKafkaReachable(),
      },
      { registry: metrics.registry, logger: logger.child({ component: 'health' }) },
    );
  }

  onApplicationBootstrap(): void {
    // Kafka up but the consumer out of its group for long (a crash, a group it cannot join): events wait unread.
    const consumer = this.messaging.consumer;
    if (consumer.topics.length > 0) this.watch('consumer', async () => consumer.isInGroup(CONSUMER_OUT_OF_GROUP_GRACE_MS));
    this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }
}
