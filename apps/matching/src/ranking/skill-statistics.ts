import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface SkillFrequencies {
  /** Estimated number of profiles. */
  total: number;
  /** Share of profiles listing the skill. */
  frequency(skill: string): number;
  /** Share of profiles in this currency and (when given) one of these countries. */
  share(currency: string, countries: readonly string[]): number;
  /** The highest reputation score that about `share` of profiles reach (null: unknown, or every profile's). */
  reputationFloor(share: number): number | null;
}

const REFRESH_MS = 60_000;

interface StatsRow {
  attname: 'skills' | 'currency' | 'country' | 'rep_score';
  total: number;
  elems: string[] | null;
  elem_freqs: number[] | null;
  vals: string[] | null;
  freqs: number[] | null;
  histogram: number[] | null;
}

/** Values and frequencies of one column's most common values; others get half the least common one's. */
function distribution(values: string[] | null, freqs: number[] | null, unlistedDefault: number): (value: string) => number {
  if (!values?.length || !freqs) return () => unlistedDefault;
  const known = new Map(values.map((v, i) => [v, Number(freqs[i])]));
  const unlisted = Math.min(...known.values()) / 2;
  return (value) => known.get(value) ?? unlisted;
}

/**
 * The reputation score that about `share` of rows reach or exceed, from the column's most
 * common values and histogram (the rows not among the most common ones spread evenly over its
 * buckets, linearly within one); null when the statistics do not tell or every row qualifies.
 */
export function reputationFloorOf(row: Pick<StatsRow, 'vals' | 'freqs' | 'histogram'> | undefined): (share: number) => number | null {
  const common = (row?.vals ?? []).map((v, i) => ({ value: Number(v), freq: Number(row?.freqs?.[i] ?? 0) }));
  const bounds = (row?.histogram ?? []).map(Number);
  const rest = Math.max(0, 1 - common.reduce((sum, c) => sum + c.freq, 0));
  const mostCommon = new Map(common.map((c) => [c.value, c.freq]));
  const buckets = bounds.length - 1;
  /** Share of rows with a score of at least `floor`. */
  const atLeast = (floor: number): number => {
    let share = common.reduce((sum, c) => sum + (c.value >= floor ? c.freq : 0), 0);
    for (let b = 0; b < buckets; b++) {
      const [lo, hi] = [bounds[b], bounds[b + 1]];
      const above = floor <= lo ? 1 : floor > hi ? 0 : hi === lo ? 1 : (hi - floor) / (hi - lo);
      share += (rest / buckets) * above;
    }
    return share;
  };
  const candidates = [...new Set([...common.map((c) => c.value), ...bounds])].sort((a, b) => b - a);
  return (share) => {
    if (candidates.length === 0 || !(share > 0) || share >= 1) return null;
    // The highest candidate that enough rows reach; up to the next one, the histogram's
    // rows are spread linearly, the candidate's own most common value counting at it only.
    let previous: { value: number; share: number } | null = null;
    for (const value of candidates) {
      const reached = atLeast(value);
      if (reached >= share) {
        const justAbove = reached - (mostCommon.get(value) ?? 0);
        if (previous === null || share > justAbove || justAbove <= previous.share) return value;
        return value + ((previous.value - value) * (justAbove - share)) / (justAbove - previous.share);
      }
      previous = { value, share: reached };
    }
    return null;
  };
}

/**
 * How common skills, currencies and countries are among profiles, read from PostgreSQL's
 * own statistics (pg_stats of talent_profiles, kept by autovacuum's ANALYZE). Ranking only
 * uses them to pick where its search starts; stale or missing statistics cost speed, never
 * correctness. Cached per process for a minute.
 */
@Injectable()
export class SkillStatistics {
  refreshMs = REFRESH_MS;
  private cached: { at: number; value: SkillFrequencies | null } | null = null;

  async get(tx: EntityManager): Promise<SkillFrequencies | null> {
    if (this.cached && Date.now() - this.cached.at < this.refreshMs) return this.cached.value;
    const rows: StatsRow[] = await tx.query(
      `SELECT s.attname, greatest(c.reltuples, 0)::float8 AS total,
              s.most_common_elems::text::text[] AS elems, s.most_common_elem_freqs AS elem_freqs,
              s.most_common_vals::text::text[] AS vals, s.most_common_freqs AS freqs, s.histogram_bounds::text::text[] AS histogram
         FROM pg_class c
         JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'talent_profiles'
        WHERE c.oid = 'talent_profiles'::regclass AND s.attname IN ('skills', 'currency', 'country', 'rep_score')`,
    );
    const by = new Map(rows.map((r) => [r.attname, r]));
    const skills = by.get('skills');
    let value: SkillFrequencies | null = null;
    if (skills?.elems?.length && skills.elem_freqs && skills.total > 0) {
      // After the per-element frequencies come the least and most common ones: an element not
      // listed is rarer than the least common listed one.
      const elems = skills.elems;
      const elemFreqs = skills.elem_freqs;
      const known = new Map(elems.map((e, i) => [e, Number(elemFreqs[i])]));
      const unlisted = Number(elemFreqs[elems.length] ?? Math.min(...known.values())) / 2;
      const currency = distribution(by.get('currency')?.vals ?? null, by.get('currency')?.freqs ?? null, 1);
      const country = distribution(by.get('country')?.vals ?? null, by.get('country')?.freqs ?? null, 1);
      value = {
        total: skills.total,
        frequency: (skill) => known.get(skill) ?? unlisted,
        share: (cur, countries) =>
          currency(cur) *
          (countries.length
            ? Math.min(
                1,
                countries.reduce((sum, c) => sum + country(c), 0),
              )
            : 1),
        reputationFloor: reputationFloorOf(by.get('rep_score')),
      };
    }
    this.cached = { at: Date.now(), value };
    return value;
  }

  /** Forget the cached statistics (after a bulk load, in tests and benchmarks). */
  invalidate(): void {
    this.cached = null;
  }
}
