import { createHash, randomUUID } from 'node:crypto';
import { canonicalEligible, drawJurors, eligibleHash, newSeed, toWeightUnits, type EligibleJuror } from './jury-draw';

const SEED = 'a3'.repeat(32);
const member = (userId: string, power: string): EligibleJuror => ({ userId, weight: toWeightUnits(power) });
const ids = Array.from({ length: 8 }, (_, i) => `0000000${i}-0000-4000-8000-000000000000`);
const pool = ids.map((id, i) => member(id, String(i + 1)));

describe('toWeightUnits', () => {
  it('reads voting power exactly in units of 1e-18', () => {
    expect(toWeightUnits('0')).toBe(0n);
    expect(toWeightUnits('25')).toBe(25_000_000_000_000_000_000n);
    expect(toWeightUnits('0.000000000000000001')).toBe(1n);
    expect(toWeightUnits('123456789012345678.500000000000000001')).toBe(123456789012345678_500000000000000001n);
    expect(toWeightUnits('1.50')).toBe(1_500_000_000_000_000_000n);
  });

  it('refuses what is not a non-negative decimal of at most 18 decimals', () => {
    for (const bad of ['-1', '1e3', 'abc', '', '0.0000000000000000001']) expect(() => toWeightUnits(bad)).toThrow();
  });
});

describe('drawJurors', () => {
  it('is reproducible: the same seed, round and eligible set give the same jurors in the same seats, whatever the input order', () => {
    const first = drawJurors(SEED, 1, pool, 3);
    expect(drawJurors(SEED, 1, [...pool].reverse(), 3)).toEqual(first);
    expect(
      drawJurors(
        SEED,
        1,
        pool.map((m) => ({ ...m, userId: m.userId.toUpperCase() })),
        3,
      ),
    ).toEqual(first);
    expect(new Set(first).size).toBe(3);
    for (const id of first) expect(ids).toContain(id);
  });

  it('depends on the seed and on the round', () => {
    const seeds = Array.from({ length: 20 }, () => newSeed());
    const draws = new Set(seeds.map((seed) => drawJurors(seed, 1, pool, 3).join(',')));
    expect(draws.size).toBeGreaterThan(10);
    const rounds = new Set([1, 2, 3, 4, 5, 6].map((round) => drawJurors(SEED, round, pool, 3).join(',')));
    expect(rounds.size).toBeGreaterThan(3);
  });

  it('never draws a member with no voting power, and draws everyone when seats = eligible members', () => {
    const withZero = [member(ids[0], '0'), member(ids[1], '5'), member(ids[2], '0.000000000000000001')];
    for (let i = 0; i < 50; i++) {
      expect(drawJurors(newSeed(), 1, withZero, 2).sort()).toEqual([ids[1], ids[2]]);
    }
    expect(() => drawJurors(SEED, 1, withZero, 3)).toThrow('3 seats but only 2 eligible members');
  });

  it('is weighted by voting power: a member with 3x the power of another is drawn about 3 times as often', () => {
    const light = member(ids[0], '1.5');
    const heavy = member(ids[1], '4.5');
    let heavyFirst = 0;
    const runs = 4000;
    for (let i = 0; i < runs; i++) {
      const seed = createHash('sha256').update(`weights-${i}`).digest('hex');
      if (drawJurors(seed, 1, [light, heavy], 1)[0] === heavy.userId) heavyFirst++;
    }
    // Expected 0.75; 4000 draws put 0.75 +- 0.035 at more than 5 standard deviations.
    expect(heavyFirst / runs).toBeGreaterThan(0.715);
    expect(heavyFirst / runs).toBeLessThan(0.785);
  });

  it('refuses a seed that is not 32 bytes of hex', () => {
    expect(() => drawJurors('abc', 1, pool, 1)).toThrow('32 bytes');
  });
});

describe('the recorded eligible set', () => {
  it('hashes the canonical set (sorted by id, lower case, zero weights dropped), so that anyone can check it', () => {
    const a = randomUUID();
    const b = randomUUID();
    const set = [member(b, '2'), member(a.toUpperCase(), '1'), member(randomUUID(), '0')];
    expect(canonicalEligible(set).map((m) => m.userId)).toEqual([a, b].sort());
    expect(eligibleHash(set)).toBe(eligibleHash([member(a, '1'), member(b, '2.000')]));
    expect(eligibleHash(set)).not.toBe(eligibleHash([member(a, '1'), member(b, '2.000000000000000001')]));
    const lines = [a, b]
      .sort()
      .map((id) => `${id}:${id === a ? '1000000000000000000' : '2000000000000000000'}\n`)
      .join('');
    expect(eligibleHash(set)).toBe(createHash('sha256').update(lines).digest('hex'));
  });
});
