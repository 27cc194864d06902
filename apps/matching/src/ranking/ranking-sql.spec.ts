import { atLeastProbability, combinations, MAX_LOOKUP_TERMS, reputationLevel, setKeys, tierLookup } from './ranking-sql';

describe('combinations', () => {
  it('lists every subset of a size, in order', () => {
    expect(combinations(['a', 'b', 'c', 'd'], 2)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['a', 'd'],
      ['b', 'c'],
      ['b', 'd'],
      ['c', 'd'],
    ]);
    expect(combinations(['a', 'b'], 0)).toEqual([[]]);
    expect(combinations(['a', 'b'], 3)).toEqual([]);
  });
});

describe('atLeastProbability', () => {
  it('is the Poisson-binomial tail', () => {
    expect(atLeastProbability([0.5, 0.5], 0)).toBeCloseTo(1, 12);
    expect(atLeastProbability([0.5, 0.5], 1)).toBeCloseTo(0.75, 12);
    expect(atLeastProbability([0.5, 0.5], 2)).toBeCloseTo(0.25, 12);
    expect(atLeastProbability([0.1, 0.2, 0.3], 3)).toBeCloseTo(0.006, 12);
    expect(atLeastProbability([0.1], 2)).toBe(0);
  });
});

describe('setKeys', () => {
  it('pairs the skills two by two in byte order, tab-separated, the odd one out alone', () => {
    expect(setKeys('USD', ['rust', 'go', 'css'])).toEqual(['USD:go\trust', 'USD:css']);
    expect(setKeys('EUR', ['a', 'b', 'c', 'd'])).toEqual(['EUR:a\tb', 'EUR:c\td']);
    expect(setKeys('USD', ['kafka'])).toEqual(['USD:kafka']);
  });

  it('orders a pair by bytes, as PostgreSQL\'s "C" collation does (not by locale or UTF-16)', () => {
    expect(setKeys('USD', ['b', 'B'])).toEqual(['USD:B\tb']);
    expect(setKeys('USD', ['\u{1F600}', '\uFF21'])).toEqual(['USD:\uFF21\t\u{1F600}']);
  });

  it('adds the country key of the rarest skill when looking up by country', () => {
    expect(setKeys('USD', ['rust', 'go', 'css'], 'PH')).toEqual(['USD:go\trust', 'USD:css', 'USD-PH:rust']);
  });
});

describe('tierLookup', () => {
  const skills = ['s0', 's1', 's2', 's3', 's4', 's5'];
  /** Every combination of the job's skills a profile can have, with at least `atLeast` of them. */
  const profilesWithAtLeast = (k: number, atLeast: number) =>
    Array.from({ length: 1 << k }, (_, mask) => skills.slice(0, k).filter((_, i) => mask & (1 << i))).filter((has) => has.length >= atLeast);
  const found = (sets: string[][], has: string[]) => sets.some((set) => set.every((s) => has.includes(s)));

  it('finds every profile of the tier, whatever the statistics say', () => {
    const statistics = [
      null,
      { frequencies: [0.001, 0.01, 0.1, 0.3, 0.5, 0.7], total: 1_000_000, countryShare: 1 },
      { frequencies: [0.2, 0.3, 0.4, 0.5, 0.6, 0.7], total: 1_000_000, countryShare: 0.05 },
      { frequencies: [0.001, 0.001, 0.002, 0.002, 0.003, 0.003], total: 100, countryShare: 0.5 },
    ];
    for (const stats of statistics) {
      for (let k = 1; k <= 6; k++) {
        for (let atLeast = 1; atLeast <= k; atLeast++) {
          for (const countries of [0, 1, 3]) {
            const lookup = tierLookup(skills.slice(0, k), atLeast, countries, stats && { ...stats, frequencies: stats.frequencies.slice(0, k) });
            for (const has of profilesWithAtLeast(k, atLeast)) expect(found(lookup.sets, has)).toBe(true);
            expect(lookup.byCountry && countries === 0).toBe(false);
          }
        }
      }
    }
  });

  it('without statistics, one of the k - atLeast + 1 rarest skills (one && lookup)', () => {
    expect(tierLookup(['a', 'b', 'c', 'd'], 2, 0, null)).toEqual({ sets: [['a'], ['b'], ['c']], byCountry: false });
  });

  it('narrows a lookup of common skills to sets of several when a million rows are at stake, within the term limit', () => {
    const lookup = tierLookup(['rare', 'java', 'css', 'python'], 3, 0, { frequencies: [0.01, 0.2, 0.3, 0.4], total: 1_000_000, countryShare: 1 });
    expect(lookup.sets.every((set) => set.length >= 2)).toBe(true);
    expect(lookup.sets.length).toBeLessThanOrEqual(MAX_LOOKUP_TERMS);
  });

  it('looks up by country when the job’s countries hold few of the currency’s profiles, unless that multiplies the terms for little', () => {
    const stats = { frequencies: [0.01, 0.02, 0.2, 0.3], total: 800_000, countryShare: 0.02 };
    expect(tierLookup(['a', 'b', 'c', 'd'], 3, 3, stats).byCountry).toBe(true);
    expect(tierLookup(['a', 'b', 'c', 'd'], 3, 3, { ...stats, countryShare: 0.9 }).byCountry).toBe(false);
    // One `&&` lookup either way: by country reads fewer rows.
    expect(tierLookup(['a', 'b'], 1, 2, { ...stats, frequencies: [0.2, 0.3], countryShare: 0.9 }).byCountry).toBe(true);
  });
});

describe('reputationLevel', () => {
  it('is the highest level the floor reaches, in hundredths: a row without its key scores below it', () => {
    expect(reputationLevel(0.9)).toBe(90);
    expect(reputationLevel(0.8999)).toBe(85);
    expect(reputationLevel(0.97)).toBe(95);
    expect(reputationLevel(0.55)).toBe(55);
    expect(reputationLevel(0.54)).toBeNull();
  });
});
