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

/** Subscriber connections are named per process (`CLIENT LIST` shows whose is whose). */
let mirrorsStarted = 0;

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
 * Staleness while live is the publish's delivery time: Redis queues a change to every subscriber
 * before it replies to the writer, so in practice a replica has it long before a client, told
 * "signed out" through identity and the gateway, can send its next request. One case is slower: a subscription that dies without its connection closing (a network
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
  private started = false;
  private retryMs = 0;
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

  /** Idempotent; the list starts it at its first use, so a module that never starts opens no connection. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const subscriber = this.redis.duplicate({ connectionName: `revocation-mirror-${process.pid}-${++mirrorsStarted}`, lazyConnect: false });
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
    let change: unknown;
    try {
      change = JSON.parse(message);
    } catch {
      change = undefined;
    }
    // Anything with access to Redis can publish: only a well-formed change is merged (a NaN expiry would unlist an entry).
    if (!isChange(change)) {
      this.logger.warn({ component: 'revocation-mirror' }, 'revocation mirror: malformed change ignored');
      return;
    }
    this.merge(change);
  }

  stop(): void {
    clearInterval(this.timer);
    this.lost();
    // Not quit: a subscription has nothing to flush, and a QUIT over a partitioned connection would wait for ever.
    this.subscriber?.disconnect();
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
      if (generation === this.generation) {
        this.live = true;
        this.retryMs = 0;
      }
    } catch (err) {
      if (generation !== this.generation) return; // the connection changed meanwhile: its 'ready' syncs again
      // Backing off (1 s doubling to 30 s, jittered): replicas that lost Redis together do not all re-scan together.
      this.retryMs = Math.min(30_000, this.retryMs ? this.retryMs * 2 : 1_000);
      const delay = this.retryMs / 2 + Math.random() * (this.retryMs / 2);
      this.logger.warn(
        { err, component: 'revocation-mirror', retryInMs: Math.round(delay) },
        'revocation mirror: sync failed; checks ask Redis until it succeeds',
      );
      setTimeout(() => {
        if (generation === this.generation && subscriber.status === 'ready') void this.sync();
      }, delay).unref();
    }
  }

  /** Every entry of the list, a SCAN page at a time (never one blocking call over the whole list). */
  private async *snapshot(): AsyncGenerator<RevocationChange[]> {
    // Our connection prefixes keys itself: SCAN returns full keys, which go back without the prefix.
    const connectionPrefix = this.redis.options.keyPrefix ?? '';
    let cursor = '0';
    do {
      // Strings only: a stray key of another type under the prefix is not the list's, and must not stop the sync.
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.options.keyPrefix}*`, 'COUNT', 1000, 'TYPE', 'string');
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.get(key.slice(connectionPrefix.length)).pttl(key.slice(connectionPrefix.length));
      const replies = (await pipeline.exec()) ?? [];
      const changes: RevocationChange[] = [];
      keys.forEach((key, i) => {
        const [getError, value] = replies[2 * i] ?? [];
        const [ttlError, ttlMs] = replies[2 * i + 1] ?? [];
        // A key that changed type or vanished between SCAN and GET is skipped: its change, if any, is published.
        if (!getError && !ttlError) changes.push({ key, value: value as string | null, ttlMs: Number(ttlMs) });
      });
      yield changes;
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
          timeout.unref();
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

function isChange(value: unknown): value is RevocationChange {
  if (typeof value !== 'object' || value === null) return false;
  const { key, value: stored, ttlMs } = value as Record<string, unknown>;
  return typeof key === 'string' && (typeof stored === 'string' || stored === null) && typeof ttlMs === 'number' && Number.isFinite(ttlMs);
}
