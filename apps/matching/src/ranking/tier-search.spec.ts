import { scoreUpperBound } from './scoring';
import { beats, insideBound, mergeTop, outsideBound, probeSizes, startingTier } from './tier-search';

describe('bounds', () => {
  it('outside a tier: candidates with fewer skills than the tier requires', () => {
    expect(outsideBound(4, 0)).toBeCloseTo(scoreUpperBound(3, 4), 12);
    expect(outsideBound(4, 1)).toBeCloseTo(scoreUpperBound(2, 4), 12);
    // The last tier (any one skill) holds every candidate.
    expect(outsideBound(4, 3)).toBe(-Infinity);
    expect(outsideBound(1, 0)).toBe(-Infinity);
  });

  it('inside a probed tier: at most the lowest fetched reputation', () => {
    expect(insideBound(4, 4, 0.8)).toBeCloseTo(scoreUpperBound(4, 4, 0.8), 12);
    expect(insideBound(4, 4, 0.8)).toBeLessThan(insideBound(4, 4, 0.9));
  });

  it('a score beats a bound only clearly, and any score beats -Infinity', () => {
    expect(beats(0.9, 0.8)).toBe(true);
    expect(beats(0.8, 0.8)).toBe(false);
    expect(beats(0.8 + 1e-12, 0.8)).toBe(false);
    expect(beats(0.1, -Infinity)).toBe(true);
    expect(beats(null, -Infinity)).toBe(false);
  });

  it('has sane probe sizes', () => {
    expect(probeSizes(20)).toEqual([200, 2000]);
    expect(probeSizes(1)).toEqual([100, 1000]);
  });
});

describe('startingTier', () => {
  it('starts at tier 0 without statistics', () => {
    expect(startingTier([null, 0.1], 100_000, 20)).toBe(0);
    expect(startingTier([0.1, 0.2], null, 20)).toBe(0);
  });

  it('starts at tier 0 when enough profiles are expected to have every skill', () => {
    expect(startingTier([0.5, 0.5], 100_000, 20)).toBe(0);
  });

  it('starts wider when few profiles have every skill, and in a small population', () => {
    expect(startingTier([0.01, 0.02, 0.02, 0.05, 0.1, 0.5], 100_000, 20)).toBeGreaterThanOrEqual(3);
    expect(startingTier([0.5, 0.5], 100, 20)).toBe(1);
    expect(startingTier([0.0001], 1000, 20)).toBe(0);
  });
});

describe('mergeTop', () => {
  it('keeps the best rows once each, by score then id', () => {
    const a = [
      { user_id: 'b', score: 0.9 },
      { user_id: 'c', score: 0.5 },
    ];
    const b = [
      { user_id: 'a', score: 0.9 },
      { user_id: 'b', score: 0.9 },
      { user_id: 'd', score: 0.7 },
    ];
    expect(mergeTop(a, b, 3)).toEqual([
      { user_id: 'a', score: 0.9 },
      { user_id: 'b', score: 0.9 },
      { user_id: 'd', score: 0.7 },
    ]);
    expect(mergeTop([], [], 5)).toEqual([]);
  });
});
