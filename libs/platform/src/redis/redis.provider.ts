import type { Provider } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type BaseConfig } from '../config';

/** The service's Redis connection (throttles, caches). BullMQ opens its own. */
export const REDIS = Symbol('REDIS');

export const redisProvider: Provider = {
  provide: REDIS,
  inject: [APP_CONFIG],
  useFactory: (config: BaseConfig) =>
    new Redis(config.REDIS_URL, { keyPrefix: `${redisPrefix(config)}:`, maxRetriesPerRequest: 3, lazyConnect: false }),
};

export const redisPrefix = (config: BaseConfig): string => config.REDIS_PREFIX ?? `talent:${config.SERVICE_NAME}`;
