import type { OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RevocationList, type TokenIdentity } from './revocation-list';
import { RevocationMirror } from './revocation-mirror';

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

/** Where every change to the list is published (channel names take no key prefix): see RevocationMirror. */
export const REVOCATION_CHANNEL = `${REVOCATION_KEY_PREFIX}changes`;

/** The key as it now stands, published to the mirrors and returned to the writer (which applies it to its own). */
const PUBLISH_CHANGE = `
local change = cjson.encode({ key = KEYS[1], value = redis.call('get', KEYS[1]) or cjson.null, ttlMs = redis.call('pttl', KEYS[1]) })
redis.call('publish', ARGV[#ARGV], change)
return change`;

/** Lists a token or a session until ARGV[1] seconds from now. */
const REVOKE = `
redis.call('set', KEYS[1], '1', 'EX', ARGV[1])
${PUBLISH_CHANGE}`;

/** Moves a user's not-before forward only: of two concurrent revocations, the later instant wins. */
const RAISE_NOT_BEFORE = `
local current = tonumber(redis.call('get', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then
  redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2])
elseif redis.call('ttl', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('expire', KEYS[1], ARGV[2])
end
${PUBLISH_CHANGE}`;

type RevocationRedis = Redis & {
  revoke(key: string, ttlSeconds: string, channel: string): Promise<string>;
  raiseNotBefore(key: string, atMs: string, ttlSeconds: string, channel: string): Promise<string>;
};

/**
 * The revocation list in Redis. A token is revoked when its `jti` or its session (`sid`) is
 * listed, or when it was issued before its user's not-before instant (milliseconds). Every
 * entry expires with the last token it can concern, so the list stays as small as the set
 * of live revoked tokens.
 *
 * Every change is also published, and each process keeps a RevocationMirror of the list: a check
 * is answered from memory while the mirror is live, and by one MGET otherwise.
 *
 * Redis unavailable: the mirror stops answering, `isRevoked` throws, and the request fails (as an
 * internal error, not as UNAUTHENTICATED, which would make clients drop a good session):
 * revocation fails closed.
 */
export class RedisRevocationList extends RevocationList implements OnApplicationShutdown {
  private closed = false;

  constructor(
    private readonly redis: Redis,
    private readonly mirror?: RevocationMirror,
  ) {
    super();
    redis.defineCommand('revoke', { numberOfKeys: 1, lua: REVOKE });
    redis.defineCommand('raiseNotBefore', { numberOfKeys: 1, lua: RAISE_NOT_BEFORE });
  }

  /**
   * A list on its own connection, in the shared namespace (for the gateway and every subgraph),
   * mirrored in memory unless `mirror: false`. Nothing connects before its first use: a module
   * that fails to start leaves no connection behind.
   */
  static fromUrl(url: string, logger: Pick<Logger, 'warn'>, options: { mirror?: boolean; healthCheckMs?: number } = {}): RedisRevocationList {
    // Auto-pipelining: the checks of concurrent requests go to Redis in one write, not one each.
    const redis = new Redis(url, { keyPrefix: REVOCATION_KEY_PREFIX, maxRetriesPerRequest: 3, enableAutoPipelining: true, lazyConnect: true });
    // Without a listener, ioredis prints "Unhandled error event" to stderr itself, past pino.
    redis.on('error', (err) => logger.warn({ err, component: 'revocation-list' }, 'redis connection error'));
    const mirror =
      options.mirror === false
        ? undefined
        : new RevocationMirror(redis, logger, { channel: REVOCATION_CHANNEL, keyPrefix: REVOCATION_KEY_PREFIX, healthCheckMs: options.healthCheckMs });
    return new RedisRevocationList(redis, mirror);
  }

  /** True while checks are answered from the in-memory mirror. */
  get mirrored(): boolean {
    return this.mirror?.isLive ?? false;
  }

  async isRevoked(token: TokenIdentity): Promise<boolean> {
    this.mirror?.start(); // at the first check; until it is live, Redis answers
    const keys = [tokenKey(token.tokenId), notBeforeKey(token.userId), ...(token.sessionId ? [sessionKey(token.sessionId)] : [])];
    const [revokedToken, notBefore, revokedSession] = this.mirror?.read(keys.map((key) => REVOCATION_KEY_PREFIX + key)) ?? (await this.redis.mget(...keys));
    if (revokedToken !== null || (revokedSession ?? null) !== null) return true;
    return notBefore !== null && token.issuedAt * 1000 < Number(notBefore);
  }

  /** One access token, until it expires (`expiresAt` in seconds since the epoch). */
  async revokeToken(tokenId: string, expiresAt: number): Promise<void> {
    this.applyOwn(await (this.redis as RevocationRedis).revoke(tokenKey(tokenId), String(ttlUntil(expiresAt)), REVOCATION_CHANNEL));
  }

  /**
   * Every access token of a sign-in session, the last of which expires at `expiresAt` at the
   * latest. The session's refresh tokens must be revoked first, so that no later token exists.
   */
  async revokeSession(sessionId: string, expiresAt: number): Promise<void> {
    this.applyOwn(await (this.redis as RevocationRedis).revoke(sessionKey(sessionId), String(ttlUntil(expiresAt)), REVOCATION_CHANNEL));
  }

  /**
   * Every access token of the user issued before `atMs`; tokens issued later (a refresh, a new
   * sign-in) are accepted. `expiresAt`: when the last token issued before then expires, at the latest.
   */
  async revokeIssuedBefore(userId: string, atMs: number, expiresAt: number): Promise<void> {
    this.applyOwn(await (this.redis as RevocationRedis).raiseNotBefore(notBeforeKey(userId), String(atMs), String(ttlUntil(expiresAt)), REVOCATION_CHANNEL));
  }

  /** This process's own change, applied at once: its next check sees it whatever the subscription's timing. */
  private applyOwn(change: string): void {
    this.mirror?.start();
    this.mirror?.applyMessage(change);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.mirror?.stop();
    // Never used: nothing to quit (quit would connect first).
    if (this.redis.status === 'wait') this.redis.disconnect();
    else await this.redis.quit().catch(() => undefined);
  }
}

const ttlUntil = (expiresAt: number): number => Math.max(1, Math.ceil(expiresAt - Date.now() / 1000)) + CLOCK_SKEW_SECONDS;
