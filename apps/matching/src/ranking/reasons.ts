import { countMatchedSkills, rateFactor, rateRatio, type JobCriteria, type TalentFacts } from './scoring';

/** 'skills 4/5' */
export const skillsReason = (matched: number, total: number): string => `skills ${matched}/${total}`;

/** 'rate within budget', or 'rate 12% above budget' (rounded up: any excess shows as at least 1%). */
export function rateReason(ratio: number): string {
  if (ratio <= 1) return 'rate within budget';
  return `rate ${Math.max(1, Math.ceil((ratio - 1) * 100 - 1e-9))}% above budget`;
}

/** '8 years (min 5)', '1 year', '0 years (min 2)'. */
export function experienceReason(years: number, minYears: number): string {
  const base = `${years} ${years === 1 ? 'year' : 'years'}`;
  return minYears > 0 ? `${base} (min ${minYears})` : base;
}

/** 'rating 4.8 (12)', or 'no ratings yet'. */
export const ratingReason = (averageRating: number | null, ratingsCount: number): string =>
  averageRating === null || ratingsCount <= 0 ? 'no ratings yet' : `rating ${averageRating.toFixed(1)} (${ratingsCount})`;

/** 'in US': only said when the job restricts countries. */
export const countryReason = (country: string): string => `in ${country}`;

/** Human-readable reasons for a match, most important first. */
export function reasonsFor(job: JobCriteria, talent: TalentFacts): string[] {
  const reasons = [
    skillsReason(countMatchedSkills(job.skills, talent.skills), job.skills.length),
    rateReason(rateRatio(Number(talent.hourlyRate), rateFactor(job), Number(job.budgetMax))),
    experienceReason(talent.yearsExperience, job.minYearsExperience),
    ratingReason(talent.averageRating, talent.ratingsCount),
  ];
  if (job.countries.length > 0) reasons.push(countryReason(talent.country));
  return reasons;
}
