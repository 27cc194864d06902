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

/** A service's PostgreSQL, Redis and Kafka, checked every 5 s for `/health` and `dependency_up`. */
@Injectable()
export class ServiceDependencies extends DependencyMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    dataSource: DataSource,
    messaging: MessagingService,
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
    this.start();
  }

  onApplicationShutdown(): void {
    this.stop();
  }
}
