import { z } from 'zod';
import { charLength, isCountryCode, MoneyInputSchema } from '@talent/platform';

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

const wholeNumber = ({ min, max }: { min: number; max: number }) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.number().int(message).min(min, message).max(max, message);
};

/**
 * upsertTalentProfile's input, validated and normalised (for `parseCommand`: the first problem
 * is a BAD_USER_INPUT naming its field). Skills: trimmed, lower-case, unique, in the order given;
 * the rate canonical in its currency (no leading zeros, its ISO 4217 minor unit's decimals:
 * "85.00" USD, "1500" JPY, "12.125" KWD); the country upper-case.
 */
export const TalentProfileCommand = z.object({
  headline: z
    .string()
    .trim()
    .refine(
      (headline) => charLength(headline) >= LIMITS.headline.min && charLength(headline) <= LIMITS.headline.max,
      `must be ${LIMITS.headline.min} to ${LIMITS.headline.max} characters`,
    ),
  skills: z
    .array(z.string().transform(normaliseSkill))
    .refine(
      (skills) => skills.every((skill) => charLength(skill) >= LIMITS.skill.min && charLength(skill) <= LIMITS.skill.max),
      `each skill must be ${LIMITS.skill.min} to ${LIMITS.skill.max} characters`,
    )
    .transform((skills) => [...new Set(skills)])
    .refine(
      (skills) => skills.length >= LIMITS.skills.min && skills.length <= LIMITS.skills.max,
      `must list ${LIMITS.skills.min} to ${LIMITS.skills.max} different skills`,
    ),
  yearsExperience: wholeNumber(LIMITS.yearsExperience),
  hourlyRate: MoneyInputSchema,
  country: z
    .string()
    .transform((country) => country.trim().toUpperCase())
    .refine(isCountryCode, 'is not an ISO 3166-1 alpha-2 country code'),
  hoursPerWeek: wholeNumber(LIMITS.hoursPerWeek),
  openToWork: z.boolean(),
});

export type ProfileInput = z.input<typeof TalentProfileCommand>;
/** A valid profile, normalised. */
export type ProfileCommand = z.infer<typeof TalentProfileCommand>;
