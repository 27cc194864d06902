import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RevocationList, type TokenIdentity } from './revocation-list';

/**
 * Every service reads the same keys, so they live outside the per-service REDIS_PREFIX.
 * Keys are token, session and user ids (UUIDs): stacks sharing one Redis cannot collide.
 */
export const REVOCATION_KEY_PREFIX = 'talent:auth:';

/** Kept past a token's expiry for the clock difference between identity and a verifier. */
const CLOCK_SKEW_SECONDS = 60;

const tokenKey = (tokenId: string) => `revoked:token:${tokenId}`;
const sessionKey = (sessionId: string) => `revoked:session:${sessionId}`;
const notBeforeKey = (userId: string) => `not-before:${userId}`;

/** Moves a user's not-before forward only: of two concurrent revocations, the later instant wins. */
const RAISE_NOT_BEFORE = `
local current = tonumber(redis.call('get', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
elseif redis.call('ttl', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('expire', KEYS[1], ARGV[2])
end
return 1`;

type RevocationRedis = Redis & { raiseNotBefore(key: string, atMs: string, ttlSeconds: string): Promise<number> };

/**
 * The revocation list in Redis. A token is revoked when its `jti` or its session (`sid`) is
 * listed, or when it was issued before its user's not-before instant (milliseconds). Every
 * entry expires with the last token it can concern, so the list stays as small as the set
 * of live revoked tokens. One MGET per check.
 *
 * Redis unavailable: `isRevoked` throws, and the request fails (as an internal error, not as
 * UNAUTHENTICATED, which would make clients drop a good session): revocation fails closed.
 */
export class RedisRevocationList extends RevocationList implements OnApplicationShutdown {
  private closed = false;

  constructor(private readonly redis: Redis) {
    super();
    redis.defineCommand('raiseNotBefore', { numberOfKeys: 1, lua: RAISE_NOT_BEFORE });
  }

  /** A list on its own connection, in the shared namespace (for the gateway and every subgraph). */
  static fromUrl(url: string, logger: Pick<Logger, 'warn'>): RedisRevocationList {
    // Auto-pipelining: the checks of concurrent requests go to Redis in one write, not one each.
    const redis = new Redis(url, { keyPrefix: REVOCATION_KEY_PREFIX, maxRetriesPerRequest: 3, enableAutoPipelining: true });
    // Without a listener, ioredis prints "Unhandled error event" to stderr itself, past pino.
    redis.on('error', (err) => logger.warn({ err, component: 'revocation-list' }, 'redis connection error'));
    return new RedisRevocationList(redis);
  }

  async isRevoked(token: TokenIdentity): Promise<boolean> {
    const keys = [tokenKey(token.tokenId), notBeforeKey(token.userId), ...(token.sessionId ? [sessionKey(token.sessionId)] : [])];
    const [revokedToken, notBefore, revokedSession] = await this.redis.mget(...keys);
    if (revokedToken !== null || (revokedSession ?? null) !== null) return true;
    return notBefore !== null && token.issuedAt * 1000 < Number(notBefore);
  }

  /** One access token, until it expires (`expiresAt` in seconds since the epoch). */
  async revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    await this.redis.set(tokenKey(tokenId), '1', 'EX', ttlUntil(expiresAt));
  }

  /**
   * Every access token of a sign-in session, the last of which expires at `expiresAt` at the
   * latest. The session's refresh tokens must be revoked first, so that no later token exists.
   */
  async revokeSession(sessionId: string, expiresAt: number): Promise<void> {
    await this.redis.set(sessionKey(sessionId), '1', 'EX', ttlUntil(expiresAt));
  }

  /**
   * Every access token of the user issued before `atMs`; tokens issued later (a refresh, a new
   * sign-in) are accepted. `expiresAt`: when the last token issued before then expires, at the latest.
   */
  async revokeIssuedBefore(userId: string, atMs: number, expiresAt: number): Promise<void> {
    await (this.redis as RevocationRedis).raiseNotBefore(notBeforeKey(userId), String(atMs), String(ttlUntil(expiresAt)));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.redis.quit().catch(() => undefined);
  }
}

const ttlUntil = (expiresAt: number): number => Math.max(1, Math.ceil(expiresAt - Date.now() / 1000)) + CLOCK_SKEW_SECONDS;
