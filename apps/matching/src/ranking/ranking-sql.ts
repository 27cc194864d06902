import { RATE_CAP, WEIGHTS, rateCap, rateFactor, type JobCriteria, type Weights } from './scoring';

/**
 * The ranking SQL. The score is the formula of scoring.ts written as one SQL expression
 * over float8 (no NUMERIC arithmetic per row: `rate_f` is the rate as float8, `rep_score`
 * the reputation score written with the profile), so PostgreSQL filters and scores every
 * candidate and hands back only the top N.
 */

const f = (n: number): string => `${n}::float8`;

export interface ScoreOperands {
  /** Number of the job's skills the talent has (integer expression). */
  matched: string;
  /** Number of the job's skills (integer expression). */
  jobSkills: string;
  /** Estimated cost over the budget maximum (float8 expression). */
  ratio: string;
  years: string;
  minYears: string;
  /** The talent's reputation score, 0..1 (float8 expression). */
  reputation: string;
}

/** The weights as SQL float8 expressions: literals (a ranking's, read before its queries) or columns of `ranking_weights`. */
export type WeightOperands = { readonly [part in keyof Weights]: string };

/** Weights as float8 literals; a JS number prints the shortest text that reads back as the same double. */
export const weightLiterals = (w: Weights): WeightOperands => ({
  skills: f(w.skills),
  rate: f(w.rate),
  experience: f(w.experience),
  reputation: f(w.reputation),
});

/** The weights in force, read inside a statement (alias `w`; see weights.ts). */
const VIEW_WEIGHTS: WeightOperands = { skills: 'w.skills', rate: 'w.rate', experience: 'w.experience', reputation: 'w.reputation' };

/** composeScore() of scoring.ts, in SQL, same order of operations. */
export function scoreSql(o: ScoreOperands, w: WeightOperands = weightLiterals(WEIGHTS)): string {
  const rate = `greatest(${f(0)}, least(${f(1)}, (${f(RATE_CAP)} - (${o.ratio})) / ${f(RATE_CAP - 1)}))`;
  const experience = `(CASE WHEN (${o.years}) >= (${o.minYears}) THEN ${f(1)} ELSE ${f(0.5)} * (${o.years}) / (${o.minYears}) END)`;
  return (
    `(${w.skills} * (${o.matched}) / (${o.jobSkills})` +
    ` + ${w.rate} * ${rate}` +
    ` + ${w.experience} * ${experience}` +
    ` + ${w.reputation} * (${o.reputation}))`
  );
}

/** How many of `values` (bound parameters) the array expression `column` contains. */
export const matchedSql = (valueParams: string[], column: string): string =>
  valueParams.length === 0 ? '0' : `(${valueParams.map((p) => `(${p} = ANY(${column}))::int`).join(' + ')})`;

/** Minimum number of the job's skills in tier `tier`. */
export const tierMinimum = (jobSkills: number, tier: number): number => jobSkills - Math.max(0, Math.min(tier, jobSkills - 1));

/** Collects bound parameters: `$n` placeholders in order. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }
}

export interface CandidateQueryOptions {
  /**
   * Candidates missing at most `tier` of the job's skills (0: all of them). The tier's
   * rows all contain at least one of the `tier + 1` rarest job skills, which is what the
   * GIN index looks up.
   */
  tier: number;
  /** Job skills, rarest first. */
  skillsByRarity: string[];
  /**
   * Score only the `probe` eligible tier rows of best reputation (index order) instead of
   * the whole tier; the result then also carries `rep_floor` and `fetched`.
   */
  probe: number | null;
  limit: number;
  /** The weights in force (default: the built-in ones). */
  weights?: Weights;
}

/** One ranking query: filter, score and top-N for a job, in one statement. */
export function candidatesQuery(job: JobCriteria, options: CandidateQueryOptions): { sql: string; params: unknown[] } {
  const params = new Params();
  const k = job.skills.length;
  const filters = ['p.eligible', `p.currency = ${params.add(job.currency, 'text')}`, `p.rate_f <= ${params.add(rateCap(job), 'float8')}`];
  const atLeast = tierMinimum(k, options.tier);
  let matched: string;
  if (atLeast === k) {
    // Every skill: one GIN lookup, and nothing to count per row.
    filters.push(`p.skills @> ${params.add(job.skills, 'text[]')}`);
    matched = String(k);
  } else {
    matched = matchedSql(
      job.skills.map((s) => params.add(s, 'text')),
      'p.skills',
    );
    // Rows with at least `atLeast` skills all have one of the k - atLeast + 1 rarest: the GIN
    // index finds those, and the skills are counted on them (any one skill: nothing to count).
    filters.push(`p.skills && ${params.add(options.skillsByRarity.slice(0, k - atLeast + 1), 'text[]')}`);
    if (atLeast > 1) filters.push(`${matched} >= ${atLeast}`);
  }
  if (job.countries.length > 0) filters.push(`p.country = ANY(${params.add(job.countries, 'text[]')})`);
  const score = scoreSql(
    {
      matched,
      jobSkills: String(k),
      ratio: `p.rate_f * ${params.add(rateFactor(job), 'int')} / ${params.add(job.budgetMax, 'float8')}`,
      years: 'p.years_experience',
      minYears: params.add(job.minYearsExperience, 'int'),
      reputation: 'p.rep_score',
    },
    weightLiterals(options.weights ?? WEIGHTS),
  );
  const columns = `p.user_id, p.skills, p.hourly_rate::text AS hourly_rate, p.currency, p.country, p.years_experience,
         p.average_rating, p.ratings_count, p.rep_score, ${score} AS score`;
  const limit = params.add(options.limit, 'int');
  if (options.probe === null) {
    return {
      sql: `SELECT ${columns}
        FROM talent_profiles p
        WHERE ${filters.join('\n          AND ')}
        ORDER BY score DESC, p.user_id
        LIMIT ${limit}`,
      params: params.values,
    };
  }
  const probe = params.add(options.probe, 'int');
  return {
    sql: `SELECT c.*, min(c.rep_score) OVER () AS rep_floor, count(*) OVER () AS fetched
      FROM (
        SELECT ${columns}
        FROM talent_profiles p
        WHERE ${filters.join('\n          AND ')}
        ORDER BY p.rep_score DESC, p.user_id
        LIMIT ${probe}
      ) c
      ORDER BY c.score DESC, c.user_id
      LIMIT ${limit}`,
    params: params.values,
  };
}

export interface TalentSide {
  skills: string[];
  hourlyRate: string;
  currency: string;
  country: string;
  yearsExperience: number;
  reputation: number;
}

/**
 * The open jobs a changed talent could now enter, or must leave: those they match the
 * hard filters of and either have room (fewer than `matchesPerJob` matches) or whose
 * lowest stored score the talent reaches, plus every open job they are matched on.
 * The score is the same expression, with the job's side read from the jobs table and the
 * weights in force from `ranking_weights` (the values the ranking itself reads).
 */
export function jobsToRematchQuery(talentId: string, talent: TalentSide | null, matchesPerJob: number): { sql: string; params: unknown[] } {
  const params = new Params();
  const id = params.add(talentId, 'uuid');
  const matchedOn = `SELECT m.job_id FROM matches m JOIN jobs j ON j.id = m.job_id WHERE m.talent_id = ${id} AND j.status = 'OPEN'`;
  if (!talent) return { sql: `${matchedOn} ORDER BY 1`, params: params.values };
  const skillParams = talent.skills.map((s) => params.add(s, 'text'));
  const rate = params.add(talent.hourlyRate, 'float8');
  const score = scoreSql(
    {
      matched: matchedSql(skillParams, 'j.skills'),
      jobSkills: 'cardinality(j.skills)',
      ratio: `${rate} * j.rate_factor / j.budget_max::float8`,
      years: params.add(talent.yearsExperience, 'int'),
      minYears: 'j.min_years_experience',
      reputation: params.add(talent.reputation, 'float8'),
    },
    VIEW_WEIGHTS,
  );
  const enterable = `SELECT j.id FROM jobs j CROSS JOIN ranking_weights w
      WHERE j.status = 'OPEN'
        AND j.skills && ${params.add(talent.skills, 'text[]')}
        AND j.currency = ${params.add(talent.currency, 'text')}
        AND (cardinality(j.countries) = 0 OR ${params.add(talent.country, 'text')} = ANY(j.countries))
        AND ${rate} <= j.rate_cap
        AND (j.match_count < ${params.add(matchesPerJob, 'int')} OR ${score} >= j.min_match_score)`;
  return { sql: `${matchedOn} UNION ${enterable} ORDER BY 1`, params: params.values };
}
