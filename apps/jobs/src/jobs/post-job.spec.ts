import { DomainError, parseCommand } from '@talent/platform';
import type { z } from 'zod';
import { normalizeSkills, PostJobCommand } from './post-job';

type PostJobRequest = z.input<typeof PostJobCommand>;
const toPostJobCommand = (input: PostJobRequest) => parseCommand(PostJobCommand, input);

const valid = (overrides: Partial<PostJobRequest> = {}): PostJobRequest => ({
  title: '  Senior Rust engineer ',
  description: 'Build a fast matching engine with us.',
  skills: [' Rust', 'rust ', 'PostgreSQL', 'Distributed   Systems'],
  minYearsExperience: 5,
  countries: ['us', 'DE', 'US'],
  budget: { min: { amount: '80', currency: 'usd' }, max: { amount: '120.5', currency: 'USD' }, unit: 'HOURLY' },
  hoursPerWeek: 40,
  durationWeeks: 12,
  organizationId: null,
  ...overrides,
});

function field(overrides: Partial<PostJobRequest>): unknown {
  try {
    toPostJobCommand(valid(overrides));
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');
    return (error as DomainError).details.field;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('PostJobCommand', () => {
  it('normalises a valid posting', () => {
    expect(toPostJobCommand(valid({ organizationId: 'A3C1E0F2-0000-4000-8000-000000000001' }))).toEqual({
      title: 'Senior Rust engineer',
      description: 'Build a fast matching engine with us.',
      skills: ['rust', 'postgresql', 'distributed systems'],
      minYearsExperience: 5,
      countries: ['US', 'DE'],
      budget: { min: '80.00', max: '120.50', currency: 'USD', unit: 'HOURLY' },
      rateTolerancePercent: 0,
      hoursPerWeek: 40,
      durationWeeks: 12,
      organizationId: 'a3c1e0f2-0000-4000-8000-000000000001',
    });
  });

  it("keeps each budget in its currency's minor unit (ISO 4217: JPY none, KWD 3)", () => {
    const yen = toPostJobCommand(valid({ budget: { min: { amount: '1500', currency: 'JPY' }, max: { amount: '2000', currency: 'jpy' }, unit: 'HOURLY' } }));
    expect(yen.budget).toEqual({ min: '1500', max: '2000', currency: 'JPY', unit: 'HOURLY' });
    const dinars = toPostJobCommand(
      valid({ budget: { min: { amount: '12.125', currency: 'KWD' }, max: { amount: '15.5', currency: 'KWD' }, unit: 'HOURLY' } }),
    );
    expect(dinars.budget).toEqual({ min: '12.125', max: '15.500', currency: 'KWD', unit: 'HOURLY' });
  });

  it('accepts the edges of every range', () => {
    const command = toPostJobCommand(
      valid({
        title: 'abc',
        description: 'x'.repeat(10_000),
        skills: Array.from({ length: 20 }, (_, i) => `${'s'.repeat(38)}${String(i).padStart(2, '0')}`),
        minYearsExperience: 0,
        countries: [],
        budget: { min: { amount: '10', currency: 'EUR' }, max: { amount: '10.00', currency: 'EUR' }, unit: 'FIXED' },
        hoursPerWeek: 80,
        durationWeeks: 104,
      }),
    );
    expect(command.skills).toHaveLength(20);
    expect(command.countries).toEqual([]);
    expect(command.budget).toEqual({ min: '10.00', max: '10.00', currency: 'EUR', unit: 'FIXED' });
  });

  it.each<[string, Partial<PostJobRequest>, string]>([
    ['a short title', { title: ' ab ' }, 'title'],
    ['a long title', { title: 'x'.repeat(141) }, 'title'],
    ['a short description', { description: 'too short' }, 'description'],
    ['a long description', { description: 'x'.repeat(10_001) }, 'description'],
    ['no skills', { skills: [] }, 'skills'],
    ['a blank skill', { skills: ['rust', '  '] }, 'skills'],
    ['a 41-character skill', { skills: ['x'.repeat(41)] }, 'skills'],
    ['21 skills', { skills: Array.from({ length: 21 }, (_, i) => `skill-${i}`) }, 'skills'],
    ['negative experience', { minYearsExperience: -1 }, 'minYearsExperience'],
    ['51 years of experience', { minYearsExperience: 51 }, 'minYearsExperience'],
    ['an unknown country', { countries: ['US', 'XX'] }, 'countries'],
    ['a country name', { countries: ['France'] }, 'countries'],
    ['0 hours', { hoursPerWeek: 0 }, 'hoursPerWeek'],
    ['81 hours', { hoursPerWeek: 81 }, 'hoursPerWeek'],
    ['0 weeks', { durationWeeks: 0 }, 'durationWeeks'],
    ['105 weeks', { durationWeeks: 105 }, 'durationWeeks'],
    ['min above max', { budget: { min: { amount: '100.01', currency: 'USD' }, max: { amount: '100', currency: 'USD' }, unit: 'HOURLY' } }, 'budget.min.amount'],
    ['two currencies', { budget: { min: { amount: '10', currency: 'USD' }, max: { amount: '20', currency: 'EUR' }, unit: 'HOURLY' } }, 'budget.max.currency'],
    [
      'an unknown currency',
      { budget: { min: { amount: '10', currency: 'ABC' }, max: { amount: '20', currency: 'ABC' }, unit: 'HOURLY' } },
      'budget.min.currency',
    ],
    ['a zero budget', { budget: { min: { amount: '0', currency: 'USD' }, max: { amount: '20', currency: 'USD' }, unit: 'HOURLY' } }, 'budget.min.amount'],
    ['a negative budget', { budget: { min: { amount: '10', currency: 'USD' }, max: { amount: '-20', currency: 'USD' }, unit: 'HOURLY' } }, 'budget.max.amount'],
    ['three decimals', { budget: { min: { amount: '10.001', currency: 'USD' }, max: { amount: '20', currency: 'USD' }, unit: 'HOURLY' } }, 'budget.min.amount'],
    [
      'yen with decimals',
      { budget: { min: { amount: '1000', currency: 'JPY' }, max: { amount: '1500.50', currency: 'JPY' }, unit: 'HOURLY' } },
      'budget.max.amount',
    ],
    [
      'four decimals in dinars',
      { budget: { min: { amount: '10.0001', currency: 'KWD' }, max: { amount: '20', currency: 'KWD' }, unit: 'HOURLY' } },
      'budget.min.amount',
    ],
    [
      'a float-like amount',
      { budget: { min: { amount: '1e3', currency: 'USD' }, max: { amount: '2000', currency: 'USD' }, unit: 'HOURLY' } },
      'budget.min.amount',
    ],
    ['an organization id that is not a UUID', { organizationId: 'acme' }, 'organizationId'],
    ['a negative rate tolerance', { rateTolerancePercent: -1 }, 'rateTolerancePercent'],
    ['a rate tolerance of 51%', { rateTolerancePercent: 51 }, 'rateTolerancePercent'],
    ['a fractional rate tolerance', { rateTolerancePercent: 2.5 }, 'rateTolerancePercent'],
    ['a NaN rate tolerance', { rateTolerancePercent: Number.NaN }, 'rateTolerancePercent'],
  ])('refuses %s (field %s)', (_, overrides, expected) => {
    expect(field(overrides)).toBe(expected);
  });

  it.each<[number | null | undefined, number]>([
    [undefined, 0],
    [null, 0],
    [0, 0],
    [10, 10],
    [50, 50],
  ])('takes a rate tolerance of %p as %p percent', (given, expected) => {
    expect(toPostJobCommand(valid({ rateTolerancePercent: given })).rateTolerancePercent).toBe(expected);
  });
});

describe('normalizeSkills', () => {
  it('trims, lower-cases, collapses inner whitespace and de-duplicates, keeping the first order', () => {
    expect(normalizeSkills([' GraphQL ', 'node  js', 'graphql', 'Node JS', 'TypeScript'])).toEqual(['graphql', 'node js', 'typescript']);
  });
});
