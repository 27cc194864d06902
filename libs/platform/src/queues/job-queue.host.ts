import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { BaseConfig } from '../config';
import { redisPrefix } from '../redis/redis.provider';
import { JobQueue, type JobHandlerFn } from './job-queue';
import { PROCESSES_JOB_METADATA, type JobDefinition } from './job-catalog';

/** Finds every `@ProcessesJob` handler in the app, checks the catalog, and runs the service's worker. */
@Injectable()
export class JobQueueHost implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    readonly queue: JobQueue,
    private readonly discovery: DiscoveryService,
  ) {}

  static create(config: BaseConfig, catalog: readonly JobDefinition[], logger: Logger, discovery: DiscoveryService, metrics?: Registry): JobQueueHost {
    const url = new URL(config.REDIS_URL);
    const queue = new JobQueue(
      {
        name: config.SERVICE_NAME,
        prefix: `${redisPrefix(config)}:bull`,
        catalog,
        metrics,
        connection: {
          host: url.hostname,
          port: Number(url.port || 6379),
          password: url.password || undefined,
          db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
          tls: url.protocol === 'rediss:' ? {} : undefined,
        },
      },
      logger.child({ component: 'jobs' }),
    );
    return new JobQueueHost(queue, discovery);
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string | symbol, unknown> | undefined;
      if (!instance || typeof instance !== 'object' || !wrapper.metatype) continue;
      const entries: Array<{ definition: JobDefinition; method: string | symbol }> | undefined = Reflect.getMetadata(PROCESSES_JOB_METADATA, wrapper.metatype);
      for (const { definition, method } of entries ?? []) {
        this.queue.handle(definition, (instance[method] as JobHandlerFn).bind(instance));
      }
    }
    await this.queue.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
