import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

/** One change to the revocation list, as the writer's script publishes it: the full key, its value and its time to live. */
export interface RevocationChange {
  key: string;
  value: string | null;
  ttlMs: number;
}

export interface RevocationMirrorOptions {
  /** The channel every change is published on. */
  channel: string;
  /** The keys of the list (SCAN pattern prefix): the snapshot reads them all. */
  keyPrefix: string;
  /** How often the subscription is pinged (a silent half-open connection would otherwise look live) and expired entries dropped. */
  healthCheckMs?: number;
}

interface Entry {
  value: string;
  expiresAtMs: number;
}

/**
 * The revocation list held in memory, kept current by the changes its writers publish, so that
 * a token check costs no round trip to Redis (the gateway and every subgraph check every request).
 *
 * It answers only while it is live: subscribed to the change channel, then loaded from a snapshot
 * taken after the subscription was confirmed. A change and the snapshot may arrive in either
 * order, so entries merge monotonically (a revocation only ever grows: a later not-before instant,
 * a later expiry) and neither can undo the other. Whenever the subscription drops, is being
 * re-established, or stops answering its ping, `read` returns undefined and the caller asks Redis,
 * exactly as without a mirror: a mirror that may have missed a change never answers.
 *
 * Staleness while live is the publish's delivery time. A change is pushed to every subscriber
 * before its writer gets the reply, so a client that was told "signed out" cannot get a request
 * to any replica before that replica has read the change (it arrived ahead of the reply's causes).
 * One case is slower: a subscription that dies without its connection closing (a network
 * partition) is noticed by the next unanswered ping, so a replica cut off from Redis may accept a
 * revoked token for up to about 7 s (ping every 5 s, 2 s to answer) before it falls back to asking
 * Redis (which then fails closed). Revocation was documented as "within seconds"; this keeps it.
 */
export class RevocationMirror {
  private readonly entries = new Map<string, Entry>();
  private readonly healthCheckMs: number;
  private subscriber?: Redis;
  private timer?: NodeJS.Timeout;
  private live = false;
  /** Bumped by every loss of the subscription: a sync begun before it never marks the mirror live. */
  private generation = 0;

  constructor(
    private readonly redis: Redis,
    private readonly logger: Pick<Logger, 'warn'>,
    private readonly options: RevocationMirrorOptions,
  ) {
    this.healthCheckMs = options.healthCheckMs ?? 5_000;
  }

  /** True when checks are answered from memory (otherwise from Redis). */
  get isLive(): boolean {
    return this.live;
  }

  start(): void {
    const subscriber = this.redis.duplicate({ connectionName: 'revocation-mirror' });
    this.subscriber = subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel === this.options.channel) this.applyMessage(message);
    });
    for (const event of ['close', 'reconnecting', 'end']) subscriber.on(event, () => this.lost());
    subscriber.on('error', (err) => this.logger.warn({ err, component: 'revocation-mirror' }, 'revocation mirror: redis connection error'));
    // 'ready' after every (re)connection: subscribe (again), then load what the list holds.
    subscriber.on('ready', () => void this.sync());
    this.timer = setInterval(() => void this.healthCheck(), this.healthCheckMs);
    this.timer.unref();
  }

  /**
   * The values of `keys` (full keys), each null when not listed; undefined when the mirror is not
   * live and cannot answer.
   */
  read(keys: string[]): Array<string | null> | undefined {
    if (!this.live) return undefined;
    const now = Date.now();
    return keys.map((key) => {
      const entry = this.entries.get(key);
      return entry && entry.expiresAtMs > now ? entry.value : null;
    });
  }

  /** A change this process wrote itself: applied at once, so its own next check sees it (read your writes). */
  applyMessage(message: string): void {
    let change: RevocationChange;
    try {
      change = JSON.parse(message) as RevocationChange;
    } catch {
      this.logger.warn({ component: 'revocation-mirror' }, 'revocation mirror: unreadable change ignored');
      return;
    }
    this.merge(change);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.lost();
    await this.subscriber?.quit().catch(() => undefined);
  }

  private lost(): void {
    this.live = false;
    this.generation++;
  }

  private async sync(): Promise<void> {
    const generation = ++this.generation;
    this.live = false;
    const subscriber = this.subscriber;
    if (!subscriber) return;
    try {
      await subscriber.subscribe(this.options.channel);
      for await (const changes of this.snapshot()) for (const change of changes) this.merge(change);
      if (generation === this.generation) this.live = true;
    } catch (err) {
      if (generation !== this.generation) return; // the connection changed meanwhile: its 'ready' syncs again
      this.logger.warn({ err, component: 'revocation-mirror' }, 'revocation mirror: sync failed; checks ask Redis until it succeeds');
      setTimeout(() => {
        if (generation === this.generation && subscriber.status === 'ready') void this.sync();
      }, 1_000).unref();
    }
  }

  /** Every entry of the list, a SCAN page at a time (never one blocking call over the whole list). */
  private async *snapshot(): AsyncGenerator<RevocationChange[]> {
    // Our connection prefixes keys itself: SCAN returns full keys, which go back without the prefix.
    const connectionPrefix = this.redis.options.keyPrefix ?? '';
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.options.keyPrefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.get(key.slice(connectionPrefix.length)).pttl(key.slice(connectionPrefix.length));
      const replies = (await pipeline.exec()) ?? [];
      yield keys.map((key, i) => {
        const [getError, value] = replies[2 * i] ?? [];
        const [ttlError, ttlMs] = replies[2 * i + 1] ?? [];
        if (getError || ttlError) throw getError ?? ttlError;
        return { key, value: value as string | null, ttlMs: Number(ttlMs) };
      });
    } while (cursor !== '0');
  }

  /** Monotonic: the larger value (a later not-before instant; "1" for a listed token or session) and the later expiry win. */
  private merge({ key, value, ttlMs }: RevocationChange): void {
    // Gone, or expiring now. -1 (no expiry) never happens for our keys, but is kept rather than dropped.
    if (value === null || (ttlMs <= 0 && ttlMs !== -1)) return;
    const expiresAtMs = ttlMs === -1 ? Number.POSITIVE_INFINITY : Date.now() + ttlMs;
    const known = this.entries.get(key);
    if (!known) {
      this.entries.set(key, { value, expiresAtMs });
      return;
    }
    this.entries.set(key, {
      value: Number(value) > Number(known.value) ? value : known.value,
      expiresAtMs: Math.max(known.expiresAtMs, expiresAtMs),
    });
  }

  private async healthCheck(): Promise<void> {
    const now = Date.now();
    for (const [key, entry] of this.entries) if (entry.expiresAtMs <= now) this.entries.delete(key);
    const subscriber = this.subscriber;
    if (!this.live || !subscriber) return;
    const generation = this.generation;
    let timeout: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        subscriber.ping(),
        new Promise((_, reject) => {
          timeout = setTimeout(() => reject(new Error('no answer to ping')), Math.min(2_000, this.healthCheckMs));
        }),
      ]);
    } catch (err) {
      if (generation !== this.generation) return;
      this.logger.warn({ err, component: 'revocation-mirror' }, 'revocation mirror: subscription silent; reconnecting (checks ask Redis meanwhile)');
      this.lost();
      subscriber.disconnect(true);
    } finally {
      clearTimeout(timeout);
    }
  }
}
