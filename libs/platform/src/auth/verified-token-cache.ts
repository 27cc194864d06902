import type { AuthUser } from './auth-user';

/**
 * Callers of tokens whose signature and claims were verified already, so that a token sent with
 * every request costs one signature check, not one per request. Bounded (least recently used
 * goes first) and never past the token's `exp` nor `maxAgeMs` (a key withdrawn from the JWKS
 * stops counting within that time). Revocation is not cached: the verifier asks its list on
 * every request, hit or miss.
 */
export class VerifiedTokenCache {
  // A Map iterates in insertion order: re-inserting on a hit keeps the least recently used first.
  private readonly entries = new Map<string, { user: AuthUser; until: number }>();

  constructor(
    readonly maxEntries = 10_000,
    readonly maxAgeMs = 300_000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(token: string): AuthUser | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (entry.until <= this.now()) return undefined;
    this.entries.set(token, entry);
    return entry.user;
  }

  /** Remembers a verified caller; a user without token claims (no `exp`) is not cached. */
  set(token: string, user: AuthUser): void {
    if (!user.token) return;
    const until = Math.min(user.token.expiresAt * 1000, this.now() + this.maxAgeMs);
    if (until <= this.now()) return;
    this.entries.delete(token);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(token, { user, until });
  }
}
