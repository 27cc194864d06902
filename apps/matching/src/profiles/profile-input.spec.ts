import { DomainError, parseCommand } from '@talent/platform';
import { normaliseSkills, TalentProfileCommand, type ProfileInput } from './profile-input';

const normaliseProfileInput = (input: ProfileInput) => parseCommand(TalentProfileCommand, input);

const valid = (overrides: Partial<ProfileInput> = {}): ProfileInput => ({
  headline: '  Senior TypeScript engineer  ',
  skills: [' TypeScript', 'postgresql ', 'Kafka', 'typescript'],
  yearsExperience: 8,
  hourlyRate: { amount: '85.5', currency: 'usd' },
  country: 'us',
  hoursPerWeek: 30,
  openToWork: true,
  ...overrides,
});

const problem = (input: ProfileInput) => {
  try {
    normaliseProfileInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return { code: (error as DomainError).code, field: (error as DomainError).details.field };
  }
  throw new Error('expected BAD_USER_INPUT');
};

describe('TalentProfileCommand', () => {
  it('normalises a valid profile', () => {
    expect(normaliseProfileInput(valid())).toEqual({
      headline: 'Senior TypeScript engineer',
      skills: ['typescript', 'postgresql', 'kafka'],
      yearsExperience: 8,
      hourlyRate: { amount: '85.50', currency: 'USD' },
      country: 'US',
      hoursPerWeek: 30,
      openToWork: true,
    });
  });

  it.each([
    ['a 2-character headline', { headline: ' ab ' }, 'headline'],
    ['a 141-character headline', { headline: 'x'.repeat(141) }, 'headline'],
    ['no skills', { skills: [] }, 'skills'],
    ['a blank skill', { skills: ['go', '   '] }, 'skills'],
    ['a 41-character skill', { skills: ['y'.repeat(41)] }, 'skills'],
    ['31 different skills', { skills: Array.from({ length: 31 }, (_, i) => `skill ${i}`) }, 'skills'],
    ['negative years', { yearsExperience: -1 }, 'yearsExperience'],
    ['61 years', { yearsExperience: 61 }, 'yearsExperience'],
    ['a zero rate', { hourlyRate: { amount: '0.00', currency: 'USD' } }, 'hourlyRate.amount'],
    ['a negative rate', { hourlyRate: { amount: '-5', currency: 'USD' } }, 'hourlyRate.amount'],
    ['three decimals', { hourlyRate: { amount: '85.505', currency: 'USD' } }, 'hourlyRate.amount'],
    ['a yen rate with decimals', { hourlyRate: { amount: '1500.50', currency: 'JPY' } }, 'hourlyRate.amount'],
    ['four decimals in dinars', { hourlyRate: { amount: '12.1255', currency: 'KWD' } }, 'hourlyRate.amount'],
    ['a non-number rate', { hourlyRate: { amount: '85,50', currency: 'USD' } }, 'hourlyRate.amount'],
    ['an unknown currency', { hourlyRate: { amount: '85', currency: 'XYZ' } }, 'hourlyRate.currency'],
    ['a malformed currency', { hourlyRate: { amount: '85', currency: 'US' } }, 'hourlyRate.currency'],
    ['an unknown country', { country: 'ZZ' }, 'country'],
    ['0 hours a week', { hoursPerWeek: 0 }, 'hoursPerWeek'],
    ['81 hours a week', { hoursPerWeek: 81 }, 'hoursPerWeek'],
  ])('refuses %s with BAD_USER_INPUT on its field', (_, overrides, field) => {
    expect(problem(valid(overrides as Partial<ProfileInput>))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('accepts the limits', () => {
    const limits = valid({
      headline: 'abc',
      skills: [...Array.from({ length: 30 }, (_, i) => `skill ${i}`), 'SKILL 0'],
      yearsExperience: 60,
      hoursPerWeek: 80,
      hourlyRate: { amount: '0.01', currency: 'EUR' },
    });
    const profile = normaliseProfileInput(limits);
    expect(profile.skills).toHaveLength(30);
    expect(profile.hourlyRate).toEqual({ amount: '0.01', currency: 'EUR' });
    expect(normaliseProfileInput(valid({ headline: 'h'.repeat(140), skills: ['z'.repeat(40)], yearsExperience: 0, hoursPerWeek: 1 }))).toBeDefined();
  });
});

describe('amounts and skills', () => {
  it.each([
    ['085', 'USD', '85.00'],
    ['0.5', 'usd', '0.50'],
    ['120.25', 'EUR', '120.25'],
    ['1500', 'JPY', '1500'],
    ['12.125', 'KWD', '12.125'],
    ['12.5', 'KWD', '12.500'],
  ])("canonicalises %s %s to %s, in the currency's ISO 4217 minor unit", (amount, currency, canonical) => {
    expect(normaliseProfileInput(valid({ hourlyRate: { amount, currency } })).hourlyRate).toEqual({ amount: canonical, currency: currency.toUpperCase() });
  });

  it('normalises skills like the jobs service does', () => {
    expect(normaliseSkills(['  Machine   Learning ', 'machine learning', 'Go'])).toEqual(['machine learning', 'go']);
  });
});
