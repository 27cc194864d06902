import {
  composeScore,
  countMatchedSkills,
  evaluate,
  experienceScore,
  isCandidate,
  NEUTRAL_REPUTATION,
  rateCap,
  rateFactor,
  rateScore,
  reputationScore,
  scoreUpperBound,
  WEIGHTS,
  type JobCriteria,
  type TalentFacts,
} from './scoring';

const job = (overrides: Partial<JobCriteria> = {}): JobCriteria => ({
  id: '00000000-0000-4000-8000-000000000001',
  skills: ['typescript', 'postgresql', 'kafka', 'graphql'],
  countries: [],
  minYearsExperience: 5,
  currency: 'USD',
  budgetMin: '50',
  budgetMax: '100',
  unit: 'HOURLY',
  hoursPerWeek: 40,
  durationWeeks: 10,
  ...overrides,
});

const talent = (overrides: Partial<TalentFacts> = {}): TalentFacts => ({
  skills: ['typescript', 'postgresql', 'kafka', 'graphql'],
  hourlyRate: '80.00',
  currency: 'USD',
  country: 'US',
  yearsExperience: 8,
  averageRating: null,
  ratingsCount: 0,
  ...overrides,
});

describe('score components', () => {
  it('weights sum to 1', () => {
    expect(WEIGHTS.skills + WEIGHTS.rate + WEIGHTS.experience + WEIGHTS.reputation).toBeCloseTo(1, 12);
  });

  it('rate: 1 within budget, linear down to 0 at 1.5 x the maximum', () => {
    expect(rateScore(0.3)).toBe(1);
    expect(rateScore(1)).toBe(1);
    expect(rateScore(1.25)).toBeCloseTo(0.5, 12);
    expect(rateScore(1.5)).toBe(0);
    expect(rateScore(2)).toBe(0);
  });

  it('experience: 1 from the minimum up, half the share below it', () => {
    expect(experienceScore(5, 5)).toBe(1);
    expect(experienceScore(30, 5)).toBe(1);
    expect(experienceScore(0, 0)).toBe(1);
    expect(experienceScore(4, 8)).toBe(0.25);
    expect(experienceScore(0, 3)).toBe(0);
  });

  it('reputation: neutral without ratings, shrunk towards 3 stars with few ratings', () => {
    expect(reputationScore(null, 0)).toBe(NEUTRAL_REPUTATION);
    expect(reputationScore(3, 10)).toBeCloseTo(0.5, 12);
    // One 5-star rating counts less than twelve 4.8 averages.
    expect(reputationScore(5, 1)).toBeLessThan(reputationScore(4.8, 12));
    expect(reputationScore(1, 50)).toBeLessThan(0.05);
    expect(reputationScore(5, 1000)).toBeGreaterThan(0.99);
    expect(reputationScore(5, 1000)).toBeLessThan(1);
  });

  it('rate factor and cap: hourly budgets per hour, fixed budgets over hours x weeks', () => {
    expect(rateFactor(job())).toBe(1);
    expect(rateCap(job())).toBe(150);
    const fixed = job({ unit: 'FIXED', budgetMax: '12000', hoursPerWeek: 20, durationWeeks: 10 });
    expect(rateFactor(fixed)).toBe(200);
    expect(rateCap(fixed)).toBe(90);
  });

  it('counts matched skills', () => {
    expect(countMatchedSkills(['a', 'b', 'c'], ['c', 'x', 'a'])).toBe(2);
    expect(countMatchedSkills(['a'], [])).toBe(0);
  });
});

describe('composition', () => {
  it('a perfect talent without ratings scores 1 - 0.15 x 0.5', () => {
    expect(evaluate(job(), talent()).score).toBeCloseTo(1 - WEIGHTS.reputation * 0.5, 12);
  });

  it('combines the weighted parts', () => {
    const e = evaluate(job(), talent({ skills: ['typescript', 'kafka', 'go'], hourlyRate: '125', yearsExperience: 2, averageRating: 4.5, ratingsCount: 6 }));
    expect(e).toMatchObject({ matchedSkills: 2, jobSkills: 4, rate: 0.5, experience: 0.2 });
    expect(e.ratio).toBeCloseTo(1.25, 12);
    const expected = 0.5 * (2 / 4) + 0.2 * 0.5 + 0.15 * 0.2 + 0.15 * reputationScore(4.5, 6);
    expect(e.score).toBeCloseTo(expected, 12);
    expect(composeScore(e)).toBe(e.score);
  });

  it('ranks better coverage, then an in-budget rate, higher', () => {
    const full = evaluate(job(), talent()).score;
    const threeOfFour = evaluate(job(), talent({ skills: ['typescript', 'postgresql', 'kafka'] })).score;
    const above = evaluate(job(), talent({ hourlyRate: '130' })).score;
    expect(full).toBeGreaterThan(threeOfFour);
    expect(full).toBeGreaterThan(above);
  });

  it('stays within 0..1 at the extremes', () => {
    const worst = evaluate(job(), talent({ skills: ['typescript'], hourlyRate: '150', yearsExperience: 0, averageRating: 1, ratingsCount: 100 }));
    const best = evaluate(job(), talent({ averageRating: 5, ratingsCount: 10_000 }));
    expect(worst.score).toBeGreaterThan(0);
    expect(best.score).toBeLessThan(1);
  });

  it('bounds what a talent with fewer skills or a lower reputation could still reach', () => {
    expect(scoreUpperBound(4, 4)).toBeCloseTo(1, 12);
    expect(scoreUpperBound(3, 4)).toBeCloseTo(1 - 0.5 / 4, 12);
    expect(scoreUpperBound(4, 4, 0.5)).toBeCloseTo(1 - 0.15 * 0.5, 12);
    expect(evaluate(job(), talent({ skills: ['typescript', 'kafka', 'graphql'], averageRating: 5, ratingsCount: 500 })).score).toBeLessThanOrEqual(
      scoreUpperBound(3, 4),
    );
  });
});

describe('hard filters', () => {
  it('keeps a talent with an overlapping skill in the same currency within 1.5 x the budget', () => {
    expect(isCandidate(job(), talent())).toBe(true);
    expect(isCandidate(job(), talent({ hourlyRate: '150.00' }))).toBe(true);
  });

  it.each([
    ['no skill overlap', { skills: ['cobol'] }],
    ['another currency', { currency: 'EUR' }],
    ['far above budget', { hourlyRate: '150.01' }],
  ])('leaves out %s', (_, overrides) => {
    expect(isCandidate(job(), talent(overrides))).toBe(false);
  });

  it('leaves out a talent outside the countries a job restricts to', () => {
    expect(isCandidate(job({ countries: ['DE', 'FR'] }), talent())).toBe(false);
    expect(isCandidate(job({ countries: ['DE', 'US'] }), talent())).toBe(true);
  });

  it('leaves everyone out of a job without a positive budget', () => {
    expect(isCandidate(job({ budgetMax: '0' }), talent())).toBe(false);
  });
});
