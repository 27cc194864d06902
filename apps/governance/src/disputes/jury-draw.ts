import { createHash, createHmac, randomBytes } from 'node:crypto';
import { toUnits } from '@talent/platform';

/**
 * The jury draw, as a pure function anyone can re-run: from the dispute's recorded seed, the
 * round and the recorded eligible set, the same jurors come out, in the same seats.
 *
 * - Eligible members are sorted by user id and weighted by their voting power at the draw
 *   instant, in exact units of 1e-18 BTRST (BigInt, never floats).
 * - The random stream is HMAC-SHA256(seed, "<round>:<counter>") read as a 256-bit integer; a
 *   number in [0, total) is taken by rejection sampling (no modulo bias).
 * - Seats are filled one after the other, without replacement: each pick lands on the member
 *   whose cumulative weight interval contains the number, and leaves the pool.
 */
export interface EligibleJuror {
  userId: string;
  /** Voting power at the draw instant, in units of 1e-18. */
  weight: bigint;
}

const TWO_256 = 1n << 256n;

/** A fresh random seed (32 bytes, hex). */
export const newSeed = (): string => randomBytes(32).toString('hex');

/** A non-negative decimal string ("12.5", "0.000000000000000001") in units of 1e-18. */
export function toWeightUnits(decimal: string): bigint {
  if (decimal.trim().startsWith('-')) throw new Error(`not a non-negative decimal: "${decimal}"`);
  return toUnits(decimal);
}

/** The canonical order of an eligible set: by user id (lower case), zero weights left out. */
export function canonicalEligible(eligible: readonly EligibleJuror[]): EligibleJuror[] {
  return eligible
    .filter((e) => e.weight > 0n)
    .map((e) => ({ userId: e.userId.toLowerCase(), weight: e.weight }))
    .sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** SHA-256 of the canonical eligible set ("<userId>:<weight units>" lines): recorded with each round. */
export function eligibleHash(eligible: readonly EligibleJuror[]): string {
  const text = canonicalEligible(eligible)
    .map((e) => `${e.userId}:${e.weight.toString()}\n`)
    .join('');
  return createHash('sha256').update(text).digest('hex');
}

/** A deterministic stream of integers below a bound, from (seed, round). */
class SeededStream {
  private counter = 0;

  constructor(
    private readonly seed: Buffer,
    private readonly round: number,
  ) {}

  /** Uniform in [0, bound), bound > 0. */
  below(bound: bigint): bigint {
    if (bound <= 0n) throw new Error('bound must be positive');
    const limit = TWO_256 - (TWO_256 % bound);
    for (;;) {
      const block = createHmac('sha256', this.seed).update(`${this.round}:${this.counter++}`).digest('hex');
      const x = BigInt(`0x${block}`);
      if (x < limit) return x % bound;
    }
  }
}

/**
 * Draws `seats` distinct jurors from `eligible` (weighted by voting power), deterministically
 * from (seed, round). Throws when fewer than `seats` members have a positive weight: the caller
 * checks that first (openDispute answers PRECONDITION_FAILED).
 */
export function drawJurors(seedHex: string, round: number, eligible: readonly EligibleJuror[], seats: number): string[] {
  if (!/^[0-9a-f]{64}$/.test(seedHex)) throw new Error('the seed must be 32 bytes of hex');
  const pool = canonicalEligible(eligible);
  if (pool.length < seats) throw new Error(`${seats} seats but only ${pool.length} eligible members`);
  const stream = new SeededStream(Buffer.from(seedHex, 'hex'), round);
  const drawn: string[] = [];
  for (let seat = 0; seat < seats; seat++) {
    const total = pool.reduce((sum, e) => sum + e.weight, 0n);
    let r = stream.below(total);
    const index = pool.findIndex((e) => {
      if (r < e.weight) return true;
      r -= e.weight;
      return false;
    });
    drawn.push(pool[index].userId);
    pool.splice(index, 1);
  }
  return drawn;
}
