import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { atLeastProbability, candidatesQuery, reputationLevel, tierMinimum, type TierLookup } from './ranking-sql';
import { reasonsFor } from './reasons';
import type { JobCriteria, TalentFacts } from './scoring';
import { SkillStatistics } from './skill-statistics';
import { beats, insideBound, mergeTop, outsideBound, probeSizes, startingTier } from './tier-search';
import { weightsInForce } from './weights';

export interface RankedTalent {
  talentId: string;
  /** 0..1, higher is better. */
  score: number;
  /** 1..N */
  rank: number;
  reasons: string[];
  talent: TalentFacts;
}

export interface RankingResult {
  matches: RankedTalent[];
  /** Ranking queries run (usually 1 or 2). */
  queries: number;
  /**
   * The search's steps, for diagnostics: tier and probe size (null: the whole tier) of each
   * query, the skill sets its GIN lookup asked for (null: a probe, no lookup) and the
   * reputation level its rows reach (null: any).
   */
  steps: Array<{ tier: number; probe: number | null; lookup: TierLookup | null; minReputationLevel: number | null }>;
}

/** A probe walks the reputation index row by row: worth it where at least this share of the currency's rows is in the tier. */
const PROBE_MIN_DENSITY = 0.1;
/** Reputation floors of a large tier: the levels expected to hold these multiples of the limit, tried in turn before the whole tier. */
const FLOOR_ROWS_PER_MATCH = [10, 100];
/** A floor that keeps more than this share of the tier saves little over the whole tier. */
const FLOOR_MAX_SHARE = 0.3;

interface CandidateRow {
  user_id: string;
  skills: string[];
  hourly_rate: string;
  currency: string;
  country: string;
  years_experience: number;
  average_rating: number | null;
  ratings_count: number;
  rep_score: number;
  score: number;
  rep_floor?: number;
  fetched?: string;
}

/**
 * The matching engine: ranks eligible talent for a job inside the caller's transaction.
 * PostgreSQL filters (eligible, skills, currency, country, rate cap), scores and sorts;
 * Node only decides, with the bounds of tier-search.ts, whether the top N it got is final
 * or which query comes next, and writes the reasons of the N winners.
 */
@Injectable()
export class RankingEngine {
  constructor(private readonly statistics: SkillStatistics) {}

  async rank(tx: EntityManager, job: JobCriteria, limit: number): Promise<RankingResult> {
    const k = job.skills.length;
    if (k === 0 || limit < 1 || !(Number(job.budgetMax) > 0)) return { matches: [], queries: 0, steps: [] };
    // Short, latency-bound queries: no JIT compilation (tens of ms) and no parallel workers
    // (their start-up costs more than they save here), for this transaction only.
    await tx.query(`SELECT set_config('jit', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`);
    const stats = await this.statistics.get(tx);
    const weights = await weightsInForce(tx);
    const frequencies = job.skills.map((s) => (stats ? stats.frequency(s) : null));
    const population = stats ? stats.total * stats.share(job.currency, job.countries) : null;
    const byRarity = job.skills.map((skill, i) => ({ skill, f: frequencies[i] ?? 0, i })).sort((a, b) => a.f - b.f || a.i - b.i);
    const skillsByRarity = byRarity.map((x) => x.skill);
    // The skill lookup's keys are per currency (or country): it reads the job's currency only.
    const inCurrency = stats ? stats.total * stats.share(job.currency, []) : 0;
    const lookupStatistics =
      population !== null && inCurrency > 0 ? { frequencies: byRarity.map((x) => x.f), total: inCurrency, countryShare: population / inCurrency } : null;
    const probes = probeSizes(limit);
    const steps: RankingResult['steps'] = [];
    const run = async (tier: number, probe: number | null, minReputationLevel: number | null): Promise<CandidateRow[]> => {
      const query = candidatesQuery(job, { tier, skillsByRarity, lookupStatistics, probe, minReputationLevel, limit, weights });
      steps.push({ tier, probe, lookup: query.lookup, minReputationLevel });
      return tx.query(query.sql, query.params);
    };
    /** Expected rows of tier `t` (null: no statistics). */
    const tierRows = (t: number): number | null =>
      lookupStatistics && population !== null ? population * atLeastProbability(frequencies as number[], tierMinimum(k, t)) : null;

    // A probe walks the reputation index of the job's currency until it has `probe` tier rows
    // (in the job's countries), reading about probe x rows in the currency / tier rows: only
    // dense tiers are probed. Sparser large tiers are read from the best reputation levels
    // down (reputation floors: a level's key joins the GIN lookup).
    const worthProbing = (t: number): boolean => {
      const rows = tierRows(t);
      return rows === null || rows >= PROBE_MIN_DENSITY * inCurrency;
    };
    const floorsOf = (t: number): number[] => {
      const rows = tierRows(t);
      if (rows === null || !stats) return [];
      const levels = FLOOR_ROWS_PER_MATCH.map((multiple) => (multiple * limit) / rows)
        .filter((share) => share <= FLOOR_MAX_SHARE)
        .map((share) => stats.reputationFloor(share))
        .map((floor) => (floor === null ? null : reputationLevel(floor)))
        .filter((level): level is number => level !== null);
      return [...new Set(levels)].sort((a, b) => b - a);
    };
    // Starting with the widest tier (any one skill), or another large enough for reputation
    // floors: take the tier below (expected small) first, so that once it is known the wider
    // one can be probed or floored.
    let tier = startingTier(frequencies, population, limit);
    if (tier > 0 && (tier === k - 1 || floorsOf(tier).length > 0)) tier--;
    /** The exact top N of tier `knownTier` (every candidate with at least k - knownTier skills). */
    let known: CandidateRow[] = [];
    let knownTier = -1;
    let probeIndex = probes.length;
    let floors: number[] = [];
    const plan = (): void => {
      const exactMinimum = this.minimumIsExact(k, tier, knownTier);
      probeIndex = exactMinimum && this.canProbe(k, tier) && worthProbing(tier) ? 0 : probes.length;
      floors = exactMinimum && probeIndex === probes.length ? floorsOf(tier) : [];
    };
    plan();
    for (;;) {
      const probe = probeIndex < probes.length ? probes[probeIndex] : null;
      const level = probe === null && floors.length > 0 ? floors[0] : null;
      const rows = await run(tier, probe, level);
      const merged = mergeTop(known, rows, limit);
      const nth = merged.length >= limit ? merged[limit - 1].score : null;
      const exhausted = probe === null || Number(rows[0]?.fetched ?? 0) < probe;
      // A tier row not fetched (by a probe or below a floor) has the tier's minimum of skills
      // (see minimumIsExact) and no better reputation.
      if (!exhausted && !beats(nth, insideBound(k, k - tier, rows[0]?.rep_floor ?? 1, weights))) {
        probeIndex++; // it could still make the list: look further
        continue;
      }
      if (level !== null && !beats(nth, insideBound(k, k - tier, level / 100, weights))) {
        floors.shift(); // a lower level, or the whole tier
        continue;
      }
      // `merged` is now the exact top N of this tier.
      const outside = outsideBound(k, tier, weights);
      if (outside === -Infinity || beats(nth, outside)) return this.result(job, merged, steps);
      known = merged;
      knownTier = tier;
      tier++;
      plan();
    }
  }

  /**
   * Whether a row of tier `tier` that is not in the known top N has exactly the tier's
   * minimum of skills: in tier 0 every row has all of them; in another once the tier below
   * is known (a row with more skills is then in it, or scores below its N-th).
   */
  private minimumIsExact(k: number, tier: number, knownTier: number): boolean {
    return tier === 0 || knownTier === tier - 1;
  }

  /**
   * Probing by reputation index order pays off where the planner sees the tier's size from
   * its statistics: tier 0 (every row has all the skills) and the widest tier (one `&&`
   * lookup). In the tiers between, a probe reads or sorts about as many rows as the tier.
   */
  private canProbe(k: number, tier: number): boolean {
    return tier === 0 || tier === k - 1;
  }

  private result(job: JobCriteria, rows: CandidateRow[], steps: RankingResult['steps']): RankingResult {
    const matches = rows.map((row, i) => {
      const talent: TalentFacts = {
        skills: row.skills,
        hourlyRate: row.hourly_rate,
        currency: row.currency,
        country: row.country,
        yearsExperience: row.years_experience,
        averageRating: row.average_rating,
        ratingsCount: row.ratings_count,
      };
      return { talentId: row.user_id, score: row.score, rank: i + 1, reasons: reasonsFor(job, talent), talent };
    });
    return { matches, queries: steps.length, steps };
  }
}
