import { BadUserInputError, isCountryCode, parseMoney } from '@talent/platform';

export interface ProfileInput {
  headline: string;
  skills: string[];
  yearsExperience: number;
  hourlyRate: { amount: string; currency: string };
  country: string;
  hoursPerWeek: number;
  openToWork: boolean;
}

/** A valid profile, normalised. */
export interface ProfileCommand {
  headline: string;
  /** Trimmed, lower-case, unique, in the order given. */
  skills: string[];
  yearsExperience: number;
  /** Canonical in its currency: no leading zeros, its ISO 4217 minor unit's decimals ("85.00" USD, "1500" JPY, "12.125" KWD). */
  hourlyRate: { amount: string; currency: string };
  country: string;
  hoursPerWeek: number;
  openToWork: boolean;
}

export const LIMITS = {
  headline: { min: 3, max: 140 },
  skills: { min: 1, max: 30 },
  skill: { min: 1, max: 40 },
  yearsExperience: { min: 0, max: 60 },
  hoursPerWeek: { min: 1, max: 80 },
} as const;

/** Normalises a skill name: trimmed, lower-case, inner whitespace kept as single spaces. */
export const normaliseSkill = (skill: string): string => skill.trim().replace(/\s+/g, ' ').toLowerCase();

/** Unique normalised skills in first-seen order (no validation). */
export const normaliseSkills = (skills: readonly string[]): string[] => [...new Set(skills.map(normaliseSkill).filter((s) => s.length > 0))];

function intInRange(value: number, range: { min: number; max: number }, field: string): number {
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new BadUserInputError(`${field} must be a whole number from ${range.min} to ${range.max}`, field);
  }
  return value;
}

/** Validates and normalises upsertTalentProfile's input; the first problem found is a BAD_USER_INPUT naming its field. */
export function normaliseProfileInput(input: ProfileInput): ProfileCommand {
  const headline = input.headline.trim();
  const headlineLength = [...headline].length;
  if (headlineLength < LIMITS.headline.min || headlineLength > LIMITS.headline.max) {
    throw new BadUserInputError(`headline must be ${LIMITS.headline.min} to ${LIMITS.headline.max} characters`, 'headline');
  }

  const skills: string[] = [];
  for (const raw of input.skills) {
    const skill = normaliseSkill(raw);
    const length = [...skill].length;
    if (length < LIMITS.skill.min || length > LIMITS.skill.max) {
      throw new BadUserInputError(`each skill must be ${LIMITS.skill.min} to ${LIMITS.skill.max} characters`, 'skills');
    }
    if (!skills.includes(skill)) skills.push(skill);
  }
  if (skills.length < LIMITS.skills.min || skills.length > LIMITS.skills.max) {
    throw new BadUserInputError(`skills must list ${LIMITS.skills.min} to ${LIMITS.skills.max} different skills`, 'skills');
  }

  const yearsExperience = intInRange(input.yearsExperience, LIMITS.yearsExperience, 'yearsExperience');
  // The platform's MoneyInput rules: an ISO 4217 currency, at most its minor unit's decimals (JPY none, KWD 3).
  const { amount, currency } = parseMoney(input.hourlyRate, 'hourlyRate');
  const country = input.country.trim().toUpperCase();
  if (!isCountryCode(country)) throw new BadUserInputError(`Unknown country code ${input.country}`, 'country');
  const hoursPerWeek = intInRange(input.hoursPerWeek, LIMITS.hoursPerWeek, 'hoursPerWeek');

  return { headline, skills, yearsExperience, hourlyRate: { amount, currency }, country, hoursPerWeek, openToWork: input.openToWork };
}
