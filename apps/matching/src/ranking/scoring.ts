/**
 * The matching score, as plain functions. The database computes the same formula in SQL
 * (see ranking-sql.ts); these functions are its reference: the reasons, the bounds of the
 * ranking search, the tests and the benchmark's naive baseline use them. Both sides use
 * IEEE doubles and the same order of operations, so they agree to the last bit.
 *
 *   score = 0.50 x skills + 0.20 x rate + 0.15 x experience + 0.15 x reputation   (0..1)
 *
 * The weights are governed (matching.weights.*, see weights.ts): the ones above are the
 * defaults; each ranking reads those in force, divided by their sum so the score stays 0..1.
 *
 * - skills: share of the job's skills the talent has (matched / job skills);
 * - rate: the talent's hourly rate against the budget, in the job's currency only. For an
 *   HOURLY job the rate itself; for a FIXED job the estimated cost rate x hoursPerWeek x
 *   durationWeeks (the job's hours and weeks). Within the maximum scores 1, then falls
 *   linearly to 0 at 1.5 x the maximum; above that the talent is left out;
 * - experience: 1 at or above the job's minimum years, 0.5 x years / minimum below it;
 * - reputation: a Bayesian average of the talent's ratings (prior: 3 stars weighing as 2
 *   ratings) mapped to 0..1; 0.5 (neutral) without ratings.
 * Hard filters: eligible, at least one required skill, same currency, in the job's
 * countries when it lists any, estimated cost at most 1.5 x the budget maximum.
 */
export const WEIGHTS: Weights = { skills: 0.5, rate: 0.2, experience: 0.15, reputation: 0.15 };

/** The weight of each part of the score (they sum to 1). */
export interface Weights {
  readonly skills: number;
  readonly rate: number;
  readonly experience: number;
  readonly reputation: number;
}

/** Beyond this multiple of the budget maximum a talent is left out. */
export const RATE_CAP = 1.5;

export const NEUTRAL_REPUTATION = 0.5;
const PRIOR_STARS = 3;
const PRIOR_WEIGHT = 2;

export type RateUnit = 'HOURLY' | 'FIXED';

/** What ranking needs to know about a job (from JobPosted). */
export interface JobCriteria {
  id: string;
  /** Normalised: trimmed, lower-case, unique. */
  skills: string[];
  /** ISO 3166-1 alpha-2; empty means anywhere. */
  countries: string[];
  minYearsExperience: number;
  currency: string;
  /** Decimal strings. */
  budgetMin: string;
  budgetMax: string;
  unit: RateUnit;
  hoursPerWeek: number;
  durationWeeks: number;
}

/** What ranking needs to know about a talent. */
export interface TalentFacts {
  skills: string[];
  /** Decimal string, in `currency`. */
  hourlyRate: string;
  currency: string;
  country: string;
  yearsExperience: number;
  averageRating: number | null;
  ratingsCount: number;
}

/** Hours the budget pays for: 1 for an hourly budget, hoursPerWeek x durationWeeks for a fixed one. */
export const rateFactor = (job: Pick<JobCriteria, 'unit' | 'hoursPerWeek' | 'durationWeeks'>): number =>
  job.unit === 'FIXED' ? job.hoursPerWeek * job.durationWeeks : 1;

/** The highest hourly rate a job still considers (RATE_CAP x its budget, per hour). */
export const rateCap = (job: Pick<JobCriteria, 'unit' | 'hoursPerWeek' | 'durationWeeks' | 'budgetMax'>): number =>
  (RATE_CAP * Number(job.budgetMax)) / rateFactor(job);

/** Estimated cost over the budget maximum: <= 1 is within budget. */
export const rateRatio = (hourlyRate: number, factor: number, budgetMax: number): number => (hourlyRate * factor) / budgetMax;

/** 1 within budget, then linearly down to 0 at RATE_CAP x the budget. */
export const rateScore = (ratio: number): number => Math.max(0, Math.min(1, (RATE_CAP - ratio) / (RATE_CAP - 1)));

export const experienceScore = (years: number, minYears: number): number => (years >= minYears ? 1 : (0.5 * years) / minYears);

/** Bayesian average of the ratings mapped from 1..5 stars to 0..1; neutral without ratings. */
export function reputationScore(averageRating: number | null, ratingsCount: number): number {
  if (averageRating === null || ratingsCount <= 0) return NEUTRAL_REPUTATION;
  return ((averageRating * ratingsCount + PRIOR_STARS * PRIOR_WEIGHT) / (ratingsCount + PRIOR_WEIGHT) - 1) / 4;
}

export interface ScoreParts {
  matchedSkills: number;
  jobSkills: number;
  rate: number;
  experience: number;
  reputation: number;
}

export const composeScore = (p: ScoreParts, w: Weights = WEIGHTS): number =>
  (w.skills * p.matchedSkills) / p.jobSkills + w.rate * p.rate + w.experience * p.experience + w.reputation * p.reputation;

export const countMatchedSkills = (jobSkills: readonly string[], talentSkills: readonly string[]): number => {
  const have = new Set(talentSkills);
  let n = 0;
  for (const s of jobSkills) if (have.has(s)) n++;
  return n;
};

/** The hard filters: whether the job considers this (eligible) talent at all. */
export function isCandidate(job: JobCriteria, talent: TalentFacts): boolean {
  if (talent.currency !== job.currency) return false;
  if (job.countries.length > 0 && !job.countries.includes(talent.country)) return false;
  if (!(Number(job.budgetMax) > 0) || Number(talent.hourlyRate) > rateCap(job)) return false;
  return countMatchedSkills(job.skills, talent.skills) > 0;
}

export interface Evaluation extends ScoreParts {
  score: number;
  ratio: number;
}

/** The talent's score for the job (the hard filters are `isCandidate`'s business). */
export function evaluate(job: JobCriteria, talent: TalentFacts, weights: Weights = WEIGHTS): Evaluation {
  const ratio = rateRatio(Number(talent.hourlyRate), rateFactor(job), Number(job.budgetMax));
  const parts: ScoreParts = {
    matchedSkills: countMatchedSkills(job.skills, talent.skills),
    jobSkills: job.skills.length,
    rate: rateScore(ratio),
    experience: experienceScore(talent.yearsExperience, job.minYearsExperience),
    reputation: reputationScore(talent.averageRating, talent.ratingsCount),
  };
  return { ...parts, ratio, score: composeScore(parts, weights) };
}

/**
 * The best score a talent could still reach with at most `matchedSkills` of the job's
 * skills and a reputation score of at most `reputation` (rate and experience at best).
 * The ranking search stops when the N-th score found beats every such bound.
 */
export const scoreUpperBound = (matchedSkills: number, jobSkills: number, reputation = 1, weights: Weights = WEIGHTS): number =>
  composeScore({ matchedSkills, jobSkills, rate: 1, experience: 1, reputation }, weights);
