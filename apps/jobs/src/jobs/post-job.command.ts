import { BadUserInputError, charLength, compareMoney, isCountryCode, isUuid, parseMoney, type RateUnit } from '@talent/platform';

/** What postJob receives (the GraphQL input's shape). */
export interface PostJobRequest {
  title: string;
  description: string;
  skills: string[];
  minYearsExperience: number;
  countries: string[];
  budget: { min: { amount: string; currency: string }; max: { amount: string; currency: string }; unit: RateUnit };
  /** Whole percent above budget.max the client accepts; absent or null means 0. */
  rateTolerancePercent?: number | null;
  hoursPerWeek: number;
  durationWeeks: number;
  organizationId?: string | null;
}

/** A validated, normalised job to post. */
export interface PostJobCommand {
  title: string;
  description: string;
  skills: string[];
  minYearsExperience: number;
  countries: string[];
  budget: { min: string; max: string; currency: string; unit: RateUnit };
  /** 0..50: a proposed rate may be at most budget.max x (1 + rateTolerancePercent / 100), never below budget.min. */
  rateTolerancePercent: number;
  hoursPerWeek: number;
  durationWeeks: number;
  organizationId: string | null;
}

export const LIMITS = {
  title: [3, 140],
  description: [10, 10_000],
  skills: [1, 20],
  skillLength: [1, 40],
  minYearsExperience: [0, 50],
  rateTolerancePercent: [0, 50],
  hoursPerWeek: [1, 80],
  durationWeeks: [1, 104],
} as const;

function text(value: string, field: keyof typeof LIMITS): string {
  const [min, max] = LIMITS[field];
  const trimmed = value.trim();
  const length = charLength(trimmed);
  if (length < min || length > max) throw new BadUserInputError(`${field} must be ${min} to ${max} characters`, field);
  return trimmed;
}

function integer(value: number, field: keyof typeof LIMITS): number {
  const [min, max] = LIMITS[field];
  if (!Number.isInteger(value) || value < min || value > max) throw new BadUserInputError(`${field} must be between ${min} and ${max}`, field);
  return value;
}

/** Skills are trimmed, lower-cased, inner whitespace collapsed and de-duplicated (first occurrence kept). */
export function normalizeSkills(skills: readonly string[]): string[] {
  return [...new Set(skills.map((s) => s.trim().replace(/\s+/g, ' ').toLowerCase()))];
}

function skillsOf(input: readonly string[]): string[] {
  const skills = normalizeSkills(input);
  const [minLength, maxLength] = LIMITS.skillLength;
  const bad = skills.find((s) => charLength(s) < minLength || charLength(s) > maxLength);
  if (bad !== undefined) throw new BadUserInputError(`each skill must be ${minLength} to ${maxLength} characters`, 'skills');
  const [min, max] = LIMITS.skills;
  if (skills.length < min || skills.length > max) throw new BadUserInputError(`give ${min} to ${max} different skills`, 'skills');
  return skills;
}

function countriesOf(input: readonly string[]): string[] {
  const countries = [...new Set(input.map((c) => c.trim().toUpperCase()))];
  const unknown = countries.find((c) => !isCountryCode(c));
  if (unknown !== undefined) throw new BadUserInputError(`Unknown country code "${unknown}" (ISO 3166-1 alpha-2 expected)`, 'countries');
  return countries;
}

function budgetOf(input: PostJobRequest['budget']): PostJobCommand['budget'] {
  const min = parseMoney(input.min, 'budget.min');
  const max = parseMoney(input.max, 'budget.max');
  if (min.currency !== max.currency) {
    throw new BadUserInputError(`budget.min and budget.max must be in one currency (got ${min.currency} and ${max.currency})`, 'budget.max.currency');
  }
  if (compareMoney(min, max) > 0) throw new BadUserInputError('budget.min must not exceed budget.max', 'budget.min.amount');
  return { min: min.amount, max: max.amount, currency: min.currency, unit: input.unit };
}

/** Validates and normalises a job posting; the first problem found is a BAD_USER_INPUT naming its field. */
export function toPostJobCommand(input: PostJobRequest): PostJobCommand {
  const organizationId = input.organizationId?.trim() || null;
  if (organizationId !== null && !isUuid(organizationId)) throw new BadUserInputError('organizationId must be an organization id (UUID)', 'organizationId');
  return {
    title: text(input.title, 'title'),
    description: text(input.description, 'description'),
    skills: skillsOf(input.skills),
    minYearsExperience: integer(input.minYearsExperience, 'minYearsExperience'),
    countries: countriesOf(input.countries),
    budget: budgetOf(input.budget),
    rateTolerancePercent: integer(input.rateTolerancePercent ?? 0, 'rateTolerancePercent'),
    hoursPerWeek: integer(input.hoursPerWeek, 'hoursPerWeek'),
    durationWeeks: integer(input.durationWeeks, 'durationWeeks'),
    organizationId: organizationId?.toLowerCase() ?? null,
  };
}
