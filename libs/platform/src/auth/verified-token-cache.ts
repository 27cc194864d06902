import { LRUCache } from 'lru-cache';
import type { AuthUser } from './auth-user';

/**
 * Callers of tokens whose signature and claims were verified already, so that a token sent with
 * every request costs one signature check, not one per request. Bounded (least recently used
 * goes first) and never past the token's `exp` nor `maxAgeMs` (a key withdrawn from the JWKS
 * stops counting within that time). Revocation is not cached: the verifier asks its list on
 * every request, hit or miss.
 */
export class VerifiedTokenCache {
  private readonly entries: LRUCache<string, AuthUser>;

  constructor(
    readonly maxEntries = 10_000,
    readonly maxAgeMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache<string, AuthUser>({
      max: maxEntries,
      ttl: maxAgeMs,
      // Ages are measured on the clock `exp` is read against (the wall clock), checked on every
      // read: no cached instant (ttlResolution) and no purge timers.
      perf: { now },
      ttlResolution: 0,
    });
  }

  /** Entries held, counting expired ones not yet read or evicted. */
  get size(): number {
    return this.entries.size;
  }

  get(token: string): AuthUser | undefined {
    return this.entries.get(token);
  }

  /** Remembers a verified caller; a user without token claims (no `exp`) is not cached. */
  set(token: string, user: AuthUser): void {
    if (!user.token) return;
    const now = this.now();
    const until = Math.min(user.token.expiresAt * 1000, now + this.maxAgeMs);
    // lru-cache drops an entry once its age exceeds its ttl, and a token is expired at its `exp`
    // (RFC 7519), hence one millisecond less. A ttl of 0 would mean "never expires": not cached.
    const ttl = Math.ceil(until - now) - 1;
    if (ttl < 1) return;
    this.entries.set(token, user, { ttl });
  }
}
