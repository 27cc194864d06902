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

/** P(at least `need` of independent events with these probabilities): the Poisson-binomial tail. */
export function atLeastProbability(probabilities: readonly number[], need: number): number {
  let dist = [1];
  for (const p of probabilities) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((q, m) => {
      next[m] += q * (1 - p);
      next[m + 1] += q * p;
    });
    dist = next;
  }
  return dist.slice(need).reduce((sum, q) => sum + q, 0);
}

/** Every `size`-element subset of `items`, in order. */
export function combinations<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    if (items.length - i >= size) for (const rest of combinations(items.slice(i + 1), size - 1)) out.push([item, ...rest]);
  });
  return out;
}

/**
 * What a GIN lookup term costs, in heap rows (a heap row read and tested is the unit): a fixed
 * part, and a part per posting-list item it walks; a `@>` term walks its smallest key's list
 * once per key (measured at a million profiles: about 2 ms for a term of rare keys, 15 for
 * four common ones).
 */
export const LOOKUP_TERM_COST_ROWS = 300;
export const LOOKUP_ITEM_COST_ROWS = 0.005;
/** Beyond this many `@>` terms the BitmapOr costs more than it saves. */
export const MAX_LOOKUP_TERMS = 30;

export interface LookupStatistics {
  /** Shares of profiles listing each job skill, rarest first (as `skillsByRarity`). */
  frequencies: number[];
  /** Estimated number of profiles in the job's currency. */
  total: number;
  /** Share of those in one of the job's countries (1 when it lists none). */
  countryShare: number;
}

export interface TierLookup {
  /** A row is looked up when it has every skill of one of these sets (each rarest first). */
  sets: string[][];
  /** Also by the key of the job's countries (fewer rows, a term per country), not only its currency's. */
  byCountry: boolean;
}

/** The reputation levels the lookup keys mark, in hundredths of the score (see the ReputationLevelKeys migration). */
export const REPUTATION_LEVELS = [55, 60, 65, 70, 75, 80, 85, 90, 95];

/** The highest level at or below a reputation floor (null: below the lowest); a row without its key scores below `level / 100`. */
export function reputationLevel(floor: number): number | null {
  const reached = REPUTATION_LEVELS.filter((level) => level / 100 <= floor);
  return reached.length ? reached[reached.length - 1] : null;
}

/** The key of the profiles in `currency` whose reputation score is at least `level / 100`. */
export const reputationLevelKey = (currency: string, level: number): string => `${currency}^${level}`;

/** Skills are normalised (whitespace collapsed to single spaces): a tab never occurs in one. */
const PAIR_SEPARATOR = '\t';
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The GIN keys a profile has when it has every skill of `set` (rarest first), in the job's
 * currency (see the SkillLookupKeys migration): the set's skills two by two as pair keys (the pair in
 * byte order, as the database's "C" collation orders it), an odd one out as a single key, and
 * with `country` the country key of the rarest.
 */
export function setKeys(currency: string, set: readonly string[], country: string | null = null): string[] {
  const keys: string[] = [];
  for (let i = 0; i + 1 < set.length; i += 2) keys.push(`${currency}:${[set[i], set[i + 1]].sort(byteOrder).join(PAIR_SEPARATOR)}`);
  if (set.length % 2 === 1) keys.push(`${currency}:${set[set.length - 1]}`);
  if (country !== null) keys.push(`${currency}-${country}:${set[0]}`);
  return keys;
}

/**
 * The GIN lookup for rows with at least `atLeast` of the job's k skills, as skill sets of
 * which a row must contain one. A row with `atLeast` of the k skills has at least
 * `atLeast - (k - r)` of the r rarest ones, for every r: the sets are the subsets of that size
 * of the r rarest, for the r (and keys: the currency's, or also the country's when the job
 * lists countries) the database is expected to answer fastest (skills independent): rows read
 * against lookup terms and the posting lists they walk. Without statistics, one of the
 * k - atLeast + 1 rarest (one `&&` lookup).
 */
export function tierLookup(skillsByRarity: readonly string[], atLeast: number, countries: number, statistics: LookupStatistics | null): TierLookup {
  const k = skillsByRarity.length;
  const cheapest = { sets: skillsByRarity.slice(0, k - atLeast + 1).map((s) => [s]), byCountry: false, cost: Infinity };
  if (!statistics) return { sets: cheapest.sets, byCountry: false };
  const frequency = (skill: string) => statistics.frequencies[skillsByRarity.indexOf(skill)];
  for (let r = k - atLeast + 1; r <= k; r++) {
    const need = atLeast - (k - r);
    const sets = combinations(skillsByRarity.slice(0, r), need);
    const share = atLeastProbability(statistics.frequencies.slice(0, r), need);
    for (const byCountry of countries > 0 ? [false, true] : [false]) {
      // Posting-list items walked, as shares of the currency's profiles (see candidatesQuery's
      // lookup): a `&&` lookup reads each key's list; a `@>` term its smallest key's, once per key.
      const countryShare = byCountry ? statistics.countryShare : 1;
      let terms = 1;
      let items: number;
      if (need === 1) items = sets.reduce((sum, [skill]) => sum + frequency(skill), 0) * countryShare;
      else if (need === 2 && !byCountry) items = sets.reduce((sum, [a, b]) => sum + frequency(a) * frequency(b), 0);
      else {
        terms = sets.length * (byCountry ? countries : 1);
        items = sets.reduce((sum, set) => {
          const shares = setKeys('', set).map((key) =>
            key
              .slice(1)
              .split(PAIR_SEPARATOR)
              .reduce((f, skill) => f * frequency(skill), 1),
          );
          if (byCountry) shares.push((frequency(set[0]) * countryShare) / countries);
          return sum + shares.length * Math.min(...shares) * (byCountry ? countries : 1);
        }, 0);
      }
      if (terms > MAX_LOOKUP_TERMS) continue;
      const cost = (share * countryShare + LOOKUP_ITEM_COST_ROWS * items) * statistics.total + LOOKUP_TERM_COST_ROWS * terms;
      if (cost < cheapest.cost) Object.assign(cheapest, { sets, byCountry, cost });
    }
  }
  return { sets: cheapest.sets, byCountry: cheapest.byCountry };
}

export interface CandidateQueryOptions {
  /**
   * Candidates missing at most `tier` of the job's skills (0: all of them), which the GIN
   * index looks up as sets of skills one of which each such row has (see tierLookup).
   */
  tier: number;
  /** Job skills, rarest first. */
  skillsByRarity: string[];
  /** How common the job's skills are, to narrow a tier's GIN lookup (see tierLookup); null: one `&&` lookup. */
  lookupStatistics?: LookupStatistics | null;
  /**
   * Score only the `probe` eligible tier rows of best reputation (index order) instead of
   * the whole tier; the result then also carries `rep_floor` and `fetched`.
   */
  probe: number | null;
  /**
   * Score only the tier rows whose reputation reaches this level (see reputationLevel), looked
   * up with the skill keys in one GIN scan (null: every row). Not with a probe.
   */
  minReputationLevel?: number | null;
  limit: number;
  /** The weights in force (default: the built-in ones). */
  weights?: Weights;
}

/** One ranking query: filter, score and top-N for a job, in one statement. */
export function candidatesQuery(job: JobCriteria, options: CandidateQueryOptions): { sql: string; params: unknown[]; lookup: TierLookup | null } {
  const params = new Params();
  const k = job.skills.length;
  const filters = ['p.eligible', `p.currency = ${params.add(job.currency, 'text')}`, `p.rate_f <= ${params.add(rateCap(job), 'float8')}`];
  const atLeast = tierMinimum(k, options.tier);
  let matched: string;
  // The GIN index holds keys per currency, per country and per pair of skills (see setKeys),
  // and per reputation level.
  const skillKeys = 'talent_lookup_keys(p.currency, p.country, p.skills, p.rep_score)';
  const level = options.probe === null ? (options.minReputationLevel ?? null) : null;
  const levelKeys = level === null ? [] : [reputationLevelKey(job.currency, level)];
  /** The GIN lookup used (none when probing). */
  let used: TierLookup | null = null;
  /** The reputation level's key, with an `&&` lookup (an `@>` term holds it among its keys). */
  const levelTerm = (): string => (levelKeys.length ? ` AND ${skillKeys} @> ${params.add(levelKeys, 'text[]')}` : '');
  const lookup = (chosen: TierLookup): string => {
    used = chosen;
    const { sets, byCountry } = chosen;
    const countries: Array<string | null> = byCountry ? job.countries : [null];
    if (sets.every((set) => set.length === 1)) {
      // Any of these skills (in one of the countries): one `&&` lookup of single keys.
      const keys = countries.flatMap((country) => sets.map(([skill]) => `${job.currency}${country === null ? '' : `-${country}`}:${skill}`));
      return `${skillKeys} && ${params.add(keys, 'text[]')}${levelTerm()}`;
    }
    if (!byCountry && sets.every((set) => set.length === 2)) {
      // Any of these pairs: one `&&` lookup of pair keys.
      return `${skillKeys} && ${params.add(
        sets.flatMap((set) => setKeys(job.currency, set)),
        'text[]',
      )}${levelTerm()}`;
    }
    const terms = sets.flatMap((set) =>
      countries.map((country) => `${skillKeys} @> ${params.add([...setKeys(job.currency, set, country), ...levelKeys], 'text[]')}`),
    );
    return `(${terms.join(' OR ')})`;
  };
  const statistics = options.lookupStatistics ?? null;
  if (options.probe !== null) {
    // A probe walks the reputation index (only tier 0 and the widest tier are probed): no
    // key lookup, whose computed keys the planner cannot estimate, just a cheap test per row.
    filters.push(atLeast === k ? `p.skills @> ${params.add(job.skills, 'text[]')}` : `p.skills && ${params.add(job.skills, 'text[]')}`);
    matched =
      atLeast === k
        ? String(k)
        : matchedSql(
            job.skills.map((s) => params.add(s, 'text')),
            'p.skills',
          );
    if (atLeast > 1 && atLeast < k) filters.push(`${matched} >= ${atLeast}`);
  } else if (atLeast === k) {
    // Every skill: nothing to count per row. The lookup may ask for the rarest few only (a
    // superset): the row's skills are checked.
    filters.push(lookup(tierLookup(options.skillsByRarity, k, job.countries.length, statistics)));
    filters.push(`p.skills @> ${params.add(job.skills, 'text[]')}`);
    matched = String(k);
  } else {
    matched = matchedSql(
      job.skills.map((s) => params.add(s, 'text')),
      'p.skills',
    );
    // The GIN index finds a superset of the tier's rows (see tierLookup), and the skills are
    // counted on them (any one skill: nothing to count).
    filters.push(lookup(tierLookup(options.skillsByRarity, atLeast, job.countries.length, statistics)));
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
      lookup: used,
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
    lookup: used,
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
