import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { atLeastProbability, candidatesQuery, tierMinimum, type TierLookup } from './ranking-sql';
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
   * query, and the skill sets its GIN lookup asked for (null: a probe, no lookup).
   */
  steps: Array<{ tier: number; probe: number | null; lookup: TierLookup | null }>;
}

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
      population !== null && inCurrency > 0
        ? { frequencies: byRarity.map((x) => x.f), total: inCurrency, countryShare: population / inCurrency }
        : null;
    const probes = probeSizes(limit);
    const steps: RankingResult['steps'] = [];
    const run = async (tier: number, probe: number | null): Promise<CandidateRow[]> => {
      const query = candidatesQuery(job, { tier, skillsByRarity, lookupStatistics, probe, limit, weights });
      steps.push({ tier, probe, lookup: query.lookup });
      return tx.query(query.sql, query.params);
    };

    // A probe walks the reputation index of the job's currency until it has `probe` tier rows
    // (in the job's countries), about probe x rows in the currency / tier rows; the whole tier
    // costs about its rows (GIN, by country). So probing pays only for tiers larger than
    // sqrt(probe x rows in the currency).
    const worthProbing = (t: number): boolean => {
      if (!lookupStatistics || population === null) return true;
      const tierRows = population * atLeastProbability(frequencies as number[], tierMinimum(k, t));
      return tierRows * tierRows > probes[0] * inCurrency;
    };
    let tier = startingTier(frequencies, population, limit);
    /** The exact top N of tier `knownTier` (every candidate with at least k - knownTier skills). */
    let known: CandidateRow[] = [];
    let knownTier = -1;
    if (tier === k - 1 && k >= 2) {
      // Starting with the widest tier (any one skill): take the tier below (two skills or
      // more, expected small) in full first, so that the widest one can be probed.
      known = await run(k - 2, null);
      knownTier = k - 2;
      if (known.length >= limit && beats(known[limit - 1].score, outsideBound(k, knownTier, weights))) return this.result(job, known, steps);
    }
    let probeIndex = this.canProbe(k, tier, knownTier) && worthProbing(tier) ? 0 : probes.length;
    for (;;) {
      const probe = probeIndex < probes.length ? probes[probeIndex] : null;
      const rows = await run(tier, probe);
      const merged = mergeTop(known, rows, limit);
      const nth = merged.length >= limit ? merged[limit - 1].score : null;
      const exhausted = probe === null || Number(rows[0]?.fetched ?? 0) < probe;
      // A probed row not fetched has the tier's minimum of skills (tier 0: all of them; the
      // widest tier: one, every row with more being known) and no better reputation.
      if (!exhausted && !beats(nth, insideBound(k, k - tier, rows[0]?.rep_floor ?? 1, weights))) {
        probeIndex++; // it could still make the list: look further
        continue;
      }
      // `merged` is now the exact top N of this tier.
      const outside = outsideBound(k, tier, weights);
      if (outside === -Infinity || beats(nth, outside)) return this.result(job, merged, steps);
      known = merged;
      knownTier = tier;
      tier++;
      probeIndex = this.canProbe(k, tier, knownTier) && worthProbing(tier) ? 0 : probes.length;
    }
  }

  /**
   * Probing by reputation pays off where the bound is tight and the planner sees the tier's
   * size from its statistics: tier 0 (one `@>` lookup: every row has all the skills) and the
   * widest tier (one `&&` lookup) once every row with two skills or more is known. In the
   * tiers between, a probe reads or sorts about as many rows as the tier: those are scored whole.
   */
  private canProbe(k: number, tier: number, knownTier: number): boolean {
    return tier === 0 || (tier === k - 1 && knownTier === k - 2);
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
