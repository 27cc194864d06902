import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimit {
  /** Requests one client may send per window. */
  requests: number;
  windowSeconds: number;
}

/** Who is counted: a verified user wherever they connect from; an anonymous caller by address. */
export const rateLimitKey = (client: { userId?: string | null; clientIp: string }): string =>
  client.userId ? `user:${client.userId}` : `ip:${client.clientIp}`;

/**
 * The gateway's per-client request budget, counted in Redis so that every replica shares it.
 * When Redis is unreachable each replica keeps counting in memory (the same limit per
 * replica) rather than failing requests or letting everything through.
 */
export class ClientRateLimiter {
  private readonly limiter: RateLimiterAbstract;

  constructor(
    redis: Redis,
    keyPrefix: string,
    private readonly limit: RateLimit,
  ) {
    const options = { keyPrefix, points: limit.requests, duration: limit.windowSeconds };
    this.limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory(options),
    });
  }

  /** Counts one request; past the budget, RATE_LIMITED (HTTP 429) with when to retry. */
  async consume(client: { userId?: string | null; clientIp: string }): Promise<void> {
    try {
      await this.limiter.consume(rateLimitKey(client));
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const retryAfterSeconds = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw new GraphQLError(`Too many requests: at most ${this.limit.requests} per ${this.limit.windowSeconds} s; retry in ${retryAfterSeconds} s`, {
        extensions: {
          code: 'RATE_LIMITED',
          retryAfterSeconds,
          // Apollo turns this into the response's status and headers (and strips it from the body).
          http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
        },
      });
    }
  }
}
