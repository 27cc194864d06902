/**
 * What to do with one sign-in attempt, decided from two counters that were incremented
 * atomically (in Redis) before anything was evaluated:
 * - the account's attempts in the window (a success resets it, so it counts failures and
 *   attempts in flight); past its limit, nothing is evaluated, whatever the concurrency;
 * - the client address's attempts in the window (a success gives its point back).
 *
 * An address past its limit is slowed down, not locked out. Behind one NAT or proxy,
 * refusing it would let one attacker lock everyone out; so a correct password of an account
 * not under attack still gets in, after a delay. "Not under attack" is this attempt being the
 * account's only one in the window: from a flagged address each account gets one guess
 * evaluated (instead of the account limit), and every guess costs the delay. Spraying one
 * guess over many accounts is therefore slowed down, and the gateway's per-client rate
 * limit bounds it; it cannot be refused outright without refusing the bystanders too.
 */
export interface Counter {
  /** Attempts counted in the window, this one included. */
  consumed: number;
  limit: number;
  /** Until the window ends. */
  msBeforeReset: number;
}

export type SignInVerdict =
  | { action: 'evaluate'; delayMs: number }
  /** `refundAccount`: the attempt was not evaluated, so it should not count against the account. */
  | { action: 'refuse'; retryAfterMs: number; refundAccount: boolean };

/** Judges the account first: a locked account is refused before the address is even counted (pass `address: null`). */
export function judgeSignIn(account: Counter, address: Counter | null, slowdownMs: number): SignInVerdict {
  if (account.consumed > account.limit) return { action: 'refuse', retryAfterMs: account.msBeforeReset, refundAccount: false };
  if (!address || address.consumed <= address.limit) return { action: 'evaluate', delayMs: 0 };
  if (account.consumed === 1) return { action: 'evaluate', delayMs: slowdownMs };
  return { action: 'refuse', retryAfterMs: address.msBeforeReset, refundAccount: true };
}
