import { scoreUpperBound, WEIGHTS, type Weights } from './scoring';

/**
 * Finding the exact top N without scoring every candidate.
 *
 * A popular skill is on most profiles: scoring all of them for every job costs tens of
 * milliseconds. Two bounds let the database look at far fewer rows and still return
 * exactly the top N of the full ranking (the list a full scan would give, ties broken by id):
 *
 * - tiers by skill coverage: tier t holds the candidates with at least k - t of the job's
 *   k skills; anyone outside it scores at most `outsideBound(k, t)`. The GIN index finds a
 *   superset of a tier's rows (sets of the rarest skills, by currency, country or pairs: see
 *   tierLookup in ranking-sql.ts) whose skills are then counted per row;
 * - probes by reputation: score only the `probe` rows of a tier with the best reputation
 *   (a B-tree gives them in order). A row not fetched has a reputation of at most the
 *   lowest fetched one and the tier's minimum of skills, so it scores at most
 *   `insideBound`. Used where that minimum is exact: tier 0 (all k skills), and the widest
 *   tier (one skill) once every row with two or more is known;
 * - reputation floors, for large tiers too sparse to probe in index order: the same bound,
 *   the tier's rows read only from a reputation level up (a level's key joins the tier's GIN
 *   lookup), where the tier's minimum is exact (tier 0, or once the tier below is known).
 *
 * When the N-th score found beats the bounds, the list is final. Otherwise the probe grows
 * (up to the whole tier) or the search moves to the next, wider tier.
 */

/** Float noise between the database's and Node's arithmetic must not make a bound pass. */
export const EPSILON = 1e-9;

export const probeSizes = (limit: number): number[] => [Math.max(10 * limit, 100), Math.max(100 * limit, 1000)];

/** Best score of a candidate outside tier `tier` (fewer than k - tier skills); -Infinity when the tier holds everyone. */
export const outsideBound = (jobSkills: number, tier: number, weights: Weights = WEIGHTS): number =>
  tier >= jobSkills - 1 ? -Infinity : scoreUpperBound(jobSkills - tier - 1, jobSkills, 1, weights);

/** Best score of a probed tier row that was not fetched: at most `skills` of the job's skills, reputation at most `repFloor`. */
export const insideBound = (jobSkills: number, skills: number, repFloor: number, weights: Weights = WEIGHTS): number =>
  scoreUpperBound(skills, jobSkills, repFloor, weights);

export const beats = (score: number | null, bound: number): boolean => score !== null && (bound === -Infinity || score > bound + EPSILON);

/**
 * The first tier worth querying: the narrowest one expected (skills independent, with
 * their frequencies among the job's candidate population) to hold a few times `limit`
 * candidates. Without statistics, tier 0. A wrong guess costs time, never correctness.
 */
export function startingTier(frequencies: (number | null)[], population: number | null, limit: number): number {
  const k = frequencies.length;
  if (k === 0 || !population || frequencies.some((f) => f === null)) return 0;
  // dist[m] = P(exactly m of the job's skills), Poisson-binomial.
  let dist = [1];
  for (const f of frequencies as number[]) {
    const next = new Array<number>(dist.length + 1).fill(0);
    dist.forEach((p, m) => {
      next[m] += p * (1 - f);
      next[m + 1] += p * f;
    });
    dist = next;
  }
  let atLeast = 0;
  for (let t = 0; t < k; t++) {
    atLeast += dist[k - t];
    if (atLeast * population >= 3 * limit) return t;
  }
  return k - 1;
}

export interface Scored {
  user_id: string;
  score: number;
}

/** The best `limit` of both lists (rows may repeat), by score then id: the ranking's order. */
export function mergeTop<T extends Scored>(a: readonly T[], b: readonly T[], limit: number): T[] {
  const byId = new Map<string, T>();
  for (const row of [...a, ...b]) byId.set(row.user_id, row);
  return [...byId.values()].sort((x, y) => y.score - x.score || (x.user_id < y.user_id ? -1 : x.user_id > y.user_id ? 1 : 0)).slice(0, limit);
}
