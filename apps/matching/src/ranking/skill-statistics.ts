import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface SkillFrequencies {
  /** Estimated number of profiles. */
  total: number;
  /** Share of profiles listing the skill. */
  frequency(skill: string): number;
  /** Share of profiles in this currency and (when given) one of these countries. */
  share(currency: string, countries: readonly string[]): number;
}

const REFRESH_MS = 60_000;

interface StatsRow {
  attname: 'skills' | 'currency' | 'country';
  total: number;
  elems: string[] | null;
  elem_freqs: number[] | null;
  vals: string[] | null;
  freqs: number[] | null;
}

/** Values and frequencies of one column's most common values; others get half the least common one's. */
function distribution(values: string[] | null, freqs: number[] | null, unlistedDefault: number): (value: string) => number {
  if (!values?.length || !freqs) return () => unlistedDefault;
  const known = new Map(values.map((v, i) => [v, Number(freqs[i])]));
  const unlisted = Math.min(...known.values()) / 2;
  return (value) => known.get(value) ?? unlisted;
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
              s.most_common_vals::text::text[] AS vals, s.most_common_freqs AS freqs
         FROM pg_class c
         JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'talent_profiles'
        WHERE c.oid = 'talent_profiles'::regclass AND s.attname IN ('skills', 'currency', 'country')`,
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
        share: (cur, countries) => currency(cur) * (countries.length ? Math.min(1, countries.reduce((sum, c) => sum + country(c), 0)) : 1),
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
