import { GraphQLError } from 'graphql';
import type { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';

export interface RateLimit {
  /** Requests one client may send per window. */
  requests: number;
  windowSeconds: number;
}

/** Who is counted: a verified user wherever they connect from; an anonymous caller by address. */
export const rateLimitKey = (client: { userId?: string | null; clientIp: string }): string =>
  client.userId ? `user:${client.userId}` : `ip:${client.clientIp}`;

/** What this replica last heard from Redis of one client's window, and what it has let through since. */
interface KnownBudget {
  /** Requests left in the window when Redis last answered. */
  remaining: number;
  /** When the window ends (epoch ms). */
  resetsAt: number;
  /** When Redis last answered (epoch ms). */
  heardAt: number;
  /** Requests let through whose count Redis has not answered yet. */
  uncounted: number;
  /** Of those, the ones not sent to Redis yet: sent together, once per turn of the event loop. */
  unsent: number;
}

/** How long a replica trusts what Redis last said of a client's budget to let requests through without waiting. */
const TRUSTED_FOR_MS = 1_000;

/**
 * The gateway's per-client request budget, counted in Redis so that every replica shares it.
 * When Redis is unreachable each replica keeps counting in memory (the same limit per
 * replica) rather than failing requests or letting everything through.
 *
 * Every request is counted in Redis, but not always before it goes on: a round trip per request
 * held back every request's subgraph calls, and a command per request cost the gateway CPU.
 * While what Redis said of the client's budget in the last second, less the requests not counted
 * yet, stays above a headroom (a tenth of the limit, at least 16), a request goes on at once, and
 * the requests let through in one turn of the event loop are counted together in one command,
 * whose answer refreshes what this replica knows. Within the headroom, or with nothing heard for
 * a second, each request waits for its own count. So one replica never lets more through than
 * the limit; replicas together may pass what the others let through in the last second. A client
 * known to be over the limit is refused without a round trip until its window ends.
 */
export class ClientRateLimiter {
  private readonly limiter: RateLimiterAbstract;
  private readonly known: LRUCache<string, KnownBudget>;
  private readonly headroom: number;

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
    this.headroom = Math.max(16, Math.ceil(limit.requests / 10));
    // Bounded: a flood of distinct clients costs a round trip each, never memory without end.
    this.known = new LRUCache({ max: 50_000 });
  }

  /** Counts one request; past the budget, RATE_LIMITED (HTTP 429) with when to retry. */
  async consume(client: { userId?: string | null; clientIp: string }): Promise<void> {
    const key = rateLimitKey(client);
    const budget = this.known.get(key);
    const now = Date.now();
    if (budget && now < budget.resetsAt) {
      if (budget.remaining <= 0) throw this.refusal(budget.resetsAt - now);
      if (now - budget.heardAt < TRUSTED_FOR_MS && budget.remaining - budget.uncounted > this.headroom) {
        budget.uncounted++;
        if (budget.unsent++ === 0) setImmediate(() => this.sendUnsent(key, budget));
        return;
      }
    }
    // Those let through before this one are counted before it (one connection keeps the order).
    if (budget?.unsent) this.sendUnsent(key, budget);
    await this.count(key, 1);
  }

  /** The requests let through without waiting, counted in one command; its answer only updates what is known. */
  private sendUnsent(key: string, budget: KnownBudget): void {
    const points = budget.unsent;
    if (points === 0) return; // sent already, ahead of a request that waited
    budget.unsent = 0;
    void this.count(key, points)
      .catch(() => undefined)
      .finally(() => (budget.uncounted -= points));
  }

  /** Requests counted in Redis; what it answers becomes this replica's view of the client's window. */
  private async count(key: string, points: number): Promise<void> {
    let answer: RateLimiterRes;
    try {
      answer = await this.limiter.consume(key, points);
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      this.remember(key, rejection);
      throw this.refusal(rejection.msBeforeNext);
    }
    this.remember(key, answer);
  }

  private remember(key: string, answer: RateLimiterRes): void {
    const heardAt = Date.now();
    const known = { remaining: answer.remainingPoints, resetsAt: heardAt + answer.msBeforeNext, heardAt };
    const budget = this.known.get(key);
    if (budget) Object.assign(budget, known);
    else this.known.set(key, { ...known, uncounted: 0, unsent: 0 });
  }

  private refusal(msBeforeNext: number): GraphQLError {
    const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
    return new GraphQLError(`Too many requests: at most ${this.limit.requests} per ${this.limit.windowSeconds} s; retry in ${retryAfterSeconds} s`, {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfterSeconds,
        // Apollo turns this into the response's status and headers (and strips it from the body).
        http: { status: 429, headers: new Map([['retry-after', String(retryAfterSeconds)]]) },
      },
    });
  }
}
