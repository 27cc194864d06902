import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { GatewayConfig } from './config';

/** The gateway's one Redis connection (rate-limit counters; anything else at the edge that needs shared state). */
export const GATEWAY_REDIS = Symbol('GATEWAY_REDIS');

/** No key prefix on the client: each user of it names its own keys (the rate limiter under REDIS_PREFIX). */
// Auto-pipelining: the rate-limit counts of concurrent requests go to Redis in one write, not one each.
export const createGatewayRedis = (config: GatewayConfig): Redis => new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableAutoPipelining: true });

/** How long the gateway waits for Redis at start before it serves with per-instance counts. */
const REDIS_START_WAIT_MS = 5_000;

@Injectable()
export class GatewayRedisLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(GATEWAY_REDIS) private readonly redis: Redis) {}

  /**
   * Serves only once Redis answers (or after REDIS_START_WAIT_MS): requests counted before that
   * would go to the rate limiter's in-memory insurance, and a client's budget would be counted
   * twice over, once per store. Redis lost later still degrades to the insurance, by design.
   */
  async onApplicationBootstrap(): Promise<void> {
    if (this.redis.status === 'ready') return;
    const abort = new AbortController();
    await Promise.race([once(this.redis, 'ready', { signal: abort.signal }), sleep(REDIS_START_WAIT_MS, undefined, { signal: abort.signal })]).catch(
      () => undefined,
    );
    abort.abort();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
