import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { APP_CONFIG, RateLimitedError, REDIS } from '@talent/platform';
import type { IdentityConfig } from '../config';
import { judgeSignIn, type Counter } from './sign-in-policy';

/** An attempt let through: settle it with its outcome once evaluated. */
export interface ThrottledAttempt {
  succeeded(): Promise<void>;
  failed(): Promise<void>;
  /** Neither: an internal error. Gives the points back, as nothing was learnt. */
  abandoned(): Promise<void>;
}

const emailKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex'); // no PII in Redis

/**
 * The throttles of sign-in, registration and token refresh, on rate-limiter-flexible's Redis
 * limiters (an atomic increment-and-read per check, shared by every identity replica). Each
 * counter is taken BEFORE the work it limits, so concurrent requests cannot all slip under
 * the limit; outcomes that should not count are given back afterwards.
 */
@Injectable()
export class SignInThrottle {
  private readonly loginAccounts: RateLimiterRedis;
  private readonly loginAddresses: RateLimiterRedis;
  private readonly registrations: RateLimiterRedis;
  private readonly refreshFailures: RateLimiterRedis;

  constructor(
    @Inject(REDIS) redis: Redis,
    @Inject(APP_CONFIG) private readonly config: IdentityConfig,
  ) {
    const limiter = (keyPrefix: string, points: number, duration: number) => new RateLimiterRedis({ storeClient: redis, keyPrefix, points, duration });
    this.loginAccounts = limiter('throttle:login:account', config.LOGIN_MAX_FAILURES_PER_ACCOUNT, config.LOGIN_LOCKOUT_SECONDS);
    this.loginAddresses = limiter('throttle:login:address', config.LOGIN_MAX_FAILURES_PER_IP, config.LOGIN_LOCKOUT_SECONDS);
    this.registrations = limiter('throttle:register:address', config.REGISTER_MAX_PER_IP, config.REGISTER_WINDOW_SECONDS);
    this.refreshFailures = limiter('throttle:refresh:address', config.REFRESH_MAX_FAILURES_PER_IP, config.REFRESH_WINDOW_SECONDS);
  }

  /**
   * Counts a sign-in attempt before the password is verified (see `judgeSignIn`): refuses it
   * with RATE_LIMITED, or lets it through, after a delay when the address is flagged.
   */
  async beginSignIn(email: string, clientIp: string): Promise<ThrottledAttempt> {
    const account = emailKey(email);
    const accountCount = await this.take(this.loginAccounts, account);
    const addressCount = accountCount.consumed > accountCount.limit ? null : await this.take(this.loginAddresses, clientIp);
    const verdict = judgeSignIn(accountCount, addressCount, this.config.LOGIN_SLOWDOWN_MS);
    if (verdict.action === 'refuse') {
      if (verdict.refundAccount) await this.loginAccounts.reward(account, 1);
      throw tooMany('Too many failed sign-in attempts; try again later', verdict.retryAfterMs);
    }
    if (verdict.delayMs > 0) await sleep(verdict.delayMs);
    const giveBack = async () => {
      await this.loginAccounts.delete(account);
      await this.loginAddresses.reward(clientIp, 1);
    };
    return {
      // A success resets the account's count (its earlier failures were typos, or a guesser who did not get in).
      succeeded: giveBack,
      failed: async () => undefined,
      abandoned: async () => {
        await this.loginAccounts.reward(account, 1);
        await this.loginAddresses.reward(clientIp, 1);
      },
    };
  }

  /** Counts a registration (before the password is hashed); RATE_LIMITED past the address's limit. */
  async assertMayRegister(clientIp: string): Promise<void> {
    const count = await this.take(this.registrations, clientIp);
    if (count.consumed > count.limit) throw tooMany('Too many registrations from this address; try again later', count.msBeforeReset);
  }

  /**
   * Counts a token refresh before the token is looked up; only failures keep their point. An
   * address past its limit of failures is refused for the (short) window: a refresh token is
   * too long to guess, so this only stops a client hammering identity with dead tokens.
   */
  async beginRefresh(clientIp: string): Promise<ThrottledAttempt> {
    const count = await this.take(this.refreshFailures, clientIp);
    if (count.consumed > count.limit) throw tooMany('Too many failed token refreshes from this address; try again later', count.msBeforeReset);
    const giveBack = async () => {
      await this.refreshFailures.reward(clientIp, 1);
    };
    return { succeeded: giveBack, failed: async () => undefined, abandoned: giveBack };
  }

  /** Adds one to a counter and reads it, atomically; a counter past its limit is still counted (and reported). */
  private async take(limiter: RateLimiterRedis, key: string): Promise<Counter> {
    let res: RateLimiterRes;
    try {
      res = await limiter.consume(key, 1);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error; // Redis failed: fail closed, as an internal error
      res = error;
    }
    return { consumed: res.consumedPoints, limit: limiter.points, msBeforeReset: res.msBeforeNext };
  }
}

const tooMany = (message: string, retryAfterMs: number) => new RateLimitedError(message, Math.max(1, Math.ceil(retryAfterMs / 1000)));
