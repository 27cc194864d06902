import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { GatewayConfig } from './config';

/** The gateway's one Redis connection (rate-limit counters; anything else at the edge that needs shared state). */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

/** No key prefix on the client: each user of it names its own keys (the rate limiter under REDIS_PREFIX). */
// Auto-pipelining: the rate-limit counts of concurrent requests go to Redis in one write, not one each.
export const createGatewayRedis = (config: GatewayConfig): Redis => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableAutoPipelining: true });

@Injectable()
export class GatewayRedisShutdown implements OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
