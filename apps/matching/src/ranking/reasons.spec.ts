import { countryReason, experienceReason, rateReason, ratingReason, reasonsFor, skillsReason } from './reasons';
import type { JobCriteria, TalentFacts } from './scoring';

const job = (overrides: Partial<JobCriteria> = {}): JobCriteria => ({
  id: '00000000-0000-4000-8000-000000000001',
  skills: ['typescript', 'postgresql', 'kafka', 'graphql', 'react'],
  countries: [],
  minYearsExperience: 5,
  currency: 'USD',
  budgetMin: '50.00',
  budgetMax: '100.00',
  unit: 'HOURLY',
  hoursPerWeek: 40,
  durationWeeks: 10,
  ...overrides,
});

const talent = (overrides: Partial<TalentFacts> = {}): TalentFacts => ({
  skills: ['typescript', 'postgresql', 'kafka', 'graphql', 'go'],
  hourlyRate: '90.00',
  currency: 'USD',
  country: 'US',
  yearsExperience: 8,
  averageRating: 4.8,
  ratingsCount: 12,
  ...overrides,
});

describe('reason texts', () => {
  it('skills as matched/total', () => {
    expect(skillsReason(4, 5)).toBe('skills 4/5');
    expect(skillsReason(1, 1)).toBe('skills 1/1');
  });

  it('rate within budget, or the share above it rounded up', () => {
    expect(rateReason(0.5)).toBe('rate within budget');
    expect(rateReason(1)).toBe('rate within budget');
    expect(rateReason(1.12)).toBe('rate 12% above budget');
    expect(rateReason(1.113)).toBe('rate 12% above budget');
    expect(rateReason(1.0001)).toBe('rate 1% above budget');
    expect(rateReason(1.5)).toBe('rate 50% above budget');
  });

  it('years against the minimum, singular for one', () => {
    expect(experienceReason(8, 5)).toBe('8 years (min 5)');
    expect(experienceReason(2, 5)).toBe('2 years (min 5)');
    expect(experienceReason(1, 0)).toBe('1 year');
    expect(experienceReason(0, 0)).toBe('0 years');
  });

  it('rating with one decimal and the count; neutral wording without ratings', () => {
    expect(ratingReason(4.8, 12)).toBe('rating 4.8 (12)');
    expect(ratingReason(4.75, 4)).toBe('rating 4.8 (4)');
    expect(ratingReason(5, 1)).toBe('rating 5.0 (1)');
    expect(ratingReason(null, 0)).toBe('no ratings yet');
  });

  it('country', () => {
    expect(countryReason('US')).toBe('in US');
  });
});

describe('reasonsFor', () => {
  it('lists skills, rate, experience and rating; the country only when the job restricts countries', () => {
    expect(reasonsFor(job(), talent())).toEqual(['skills 4/5', 'rate within budget', '8 years (min 5)', 'rating 4.8 (12)']);
    expect(reasonsFor(job({ countries: ['US', 'CA'] }), talent())).toEqual(['skills 4/5', 'rate within budget', '8 years (min 5)', 'rating 4.8 (12)', 'in US']);
  });

  it('compares the hourly rate with an hourly budget', () => {
    expect(reasonsFor(job(), talent({ hourlyRate: '112.00' }))[1]).toBe('rate 12% above budget');
  });

  it('compares rate x hoursPerWeek x durationWeeks with a fixed budget', () => {
    // 40 h x 10 weeks x 25.00 = 10,000 against a 8,000 budget: 25% above.
    const fixed = job({ unit: 'FIXED', budgetMin: '5000', budgetMax: '8000', hoursPerWeek: 40, durationWeeks: 10 });
    expect(reasonsFor(fixed, talent({ hourlyRate: '25.00' }))[1]).toBe('rate 25% above budget');
    expect(reasonsFor(fixed, talent({ hourlyRate: '20.00' }))[1]).toBe('rate within budget');
  });

  it('says so when the talent has no ratings', () => {
    expect(reasonsFor(job(), talent({ averageRating: null, ratingsCount: 0 }))[3]).toBe('no ratings yet');
  });
});
