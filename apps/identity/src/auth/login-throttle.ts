import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { APP_CONFIG, RateLimitedError, REDIS } from '@talent/platform';
import type { IdentityConfig } from '../config';

/**
 * Counts failed logins per account and per client address in Redis. Past the limit,
 * logins are refused with RATE_LIMITED until the window expires (a success clears the
 * account's count). Emails are hashed before they become keys: no PII in Redis.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {}

  async assertAllowed(email: string, clientIp: string): Promise<void> {
    const [account, ip] = await this.redis.mget(this.accountKey(email), this.ipKey(clientIp));
    const accountBlocked = Number(account ?? 0) >= this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT;
    const ipBlocked = Number(ip ?? 0) >= this.config.LOGIN_MAX_FAILURES_PER_IP;
    if (accountBlocked || ipBlocked) {
      const ttl = await this.redis.pttl(accountBlocked ? this.accountKey(email) : this.ipKey(clientIp));
      throw new RateLimitedError('Too many failed sign-in attempts; try again later', Math.max(1, Math.ceil(ttl / 1000)));
    }
  }

  async recordFailure(email: string, clientIp: string): Promise<void> {
    const window = this.config.LOGIN_LOCKOUT_SECONDS;
    await this.redis
      .multi()
      .incr(this.accountKey(email))
      .expire(this.accountKey(email), window, 'NX')
      .incr(this.ipKey(clientIp))
      .expire(this.ipKey(clientIp), window, 'NX')
      .exec();
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.accountKey(email));
  }

  private accountKey(email: string): string {
    return `login-failures:account:${createHash('sha256').update(email.toLowerCase()).digest('hex')}`;
  }

  private ipKey(ip: string): string {
    return `login-failures:ip:${ip}`;
  }
}
