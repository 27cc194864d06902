import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { APP_CONFIG, type BaseConfig } from '../config';
import { ROOT_LOGGER } from '../logging/root-logger';

/** The service's Redis connection (throttles, caches). BullMQ opens its own. */
export const REDIS = Symbol('REDIS');

export const redisProvider: Provider = {
  provide: REDIS,
  inject: [APP_CONFIG, ROOT_LOGGER],
  useFactory: (config: BaseConfig, logger: Logger) => {
    const redis = new Redis(config.REDIS_URL, { keyPrefix: `${redisPrefix(config)}:`, maxRetriesPerRequest: 3, lazyConnect: false });
    // Without a listener, ioredis prints "Unhandled error event" to stderr itself, past pino.
    redis.on('error', (err) => logger.warn({ err, component: 'redis' }, 'redis connection error'));
    return redis;
  },
};

/** Closes the service's Redis connection when the app closes, after every module's own shutdown work. */
@Injectable()
export class RedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

export const redisPrefix = (config: BaseConfig): string => config.REDIS_PREFIX ?? `talent:${config.SERVICE_NAME}`;
