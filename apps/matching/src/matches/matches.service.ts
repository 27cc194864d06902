import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { MatchesProposed } from '@talent/events';
import { EventPublisher, hasRole, isUuid, type AuthUser } from '@talent/platform';
import { JobRecord } from '../jobs/job.entity';
import { MatchingSettings } from '../matching-settings';
import { TalentProfileRecord } from '../profiles/talent-profile.entity';
import { RankingEngine, type RankedTalent } from '../ranking/ranking.engine';
import { jobsToRematchQuery } from '../ranking/ranking-sql';
import type { JobCriteria } from '../ranking/scoring';
import { MatchRecord } from './match.entity';

export type MatchTrigger = 'JOB_POSTED' | 'TALENT_CHANGED';

interface JobRow {
  id: string;
  status: string;
  skills: string[];
  countries: string[];
  min_years_experience: number;
  currency: string;
  budget_min: string;
  budget_max: string;
  budget_unit: 'HOURLY' | 'FIXED';
  hours_per_week: number;
  duration_weeks: number;
}

const criteriaOf = (job: JobRow): JobCriteria => ({
  id: job.id,
  skills: job.skills,
  countries: job.countries,
  minYearsExperience: job.min_years_experience,
  currency: job.currency,
  budgetMin: job.budget_min,
  budgetMax: job.budget_max,
  unit: job.budget_unit,
  hoursPerWeek: job.hours_per_week,
  durationWeeks: job.duration_weeks,
});

/** Advisory lock id serialising talent changes with each other and with job postings (see lockForJobPosting). */
const RANKING_LOCK = 7_305_101;

/** Scores are 0..1 by construction; clamp away float noise before they leave. */
const clampScore = (score: number): number => Math.min(1, Math.max(0, score));

@Injectable()
export class MatchesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly engine: RankingEngine,
    private readonly events: EventPublisher,
    private readonly settings: MatchingSettings,
  ) {}

  /**
   * Ranks an open job and replaces its matches atomically, in the caller's transaction
   * (the job row stays locked until it ends, so two re-rankings of one job never interleave).
   * Emits MatchesProposed when the job was just posted, or when its list changed.
   * Returns null for an unknown or closed job.
   */
  async rematchJob(tx: EntityManager, jobId: string, trigger: MatchTrigger, traceparent?: string): Promise<RankedTalent[] | null> {
    const [job]: JobRow[] = await tx.query(
      `SELECT id, status, skills, countries, min_years_experience, currency, budget_min::text AS budget_min, budget_max::text AS budget_max,
              budget_unit, hours_per_week, duration_weeks
         FROM jobs WHERE id = $1 FOR UPDATE`,
      [jobId],
    );
    if (!job || job.status !== 'OPEN') return null;
    const { matches } = await this.engine.rank(tx, criteriaOf(job), this.settings.matchesPerJob);
    const changed = await this.replace(tx, job.id, matches);
    if (trigger === 'JOB_POSTED' || changed) {
      await this.events.publish(
        tx,
        MatchesProposed,
        {
          jobId: job.id,
          matches: matches.map((m) => ({ talentId: m.talentId, score: clampScore(m.score), rank: m.rank })),
          trigger,
          proposedAt: new Date().toISOString(),
        },
        { traceparent },
      );
    }
    return matches;
  }

  /**
   * Taken (shared) before a posted job is ranked. Talent changes take it exclusively: a job
   * and a talent changing at the same time would otherwise each be ranked without the
   * other (neither transaction sees the other's uncommitted rows), and two talent changes
   * could each decide from the other's stale list. Held until the transaction ends.
   */
  async lockForJobPosting(tx: EntityManager): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock_shared($1)', [RANKING_LOCK]);
  }

  /**
   * After a talent changed (profile, eligibility, reputation): re-ranks the open jobs they
   * are matched on (they may drop out) and the open jobs they could now enter. Jobs are
   * locked in id order, so concurrent re-rankings cannot deadlock. Returns the jobs re-ranked.
   */
  async rematchForTalent(tx: EntityManager, talentId: string, traceparent?: string): Promise<string[]> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [RANKING_LOCK]);
    const profile = await tx.getRepository(TalentProfileRecord).findOneBy({ userId: talentId });
    const side = profile?.eligible
      ? {
          skills: profile.skills,
          hourlyRate: profile.hourlyRate,
          currency: profile.currency,
          country: profile.country,
          yearsExperience: profile.yearsExperience,
          reputation: profile.repScore,
        }
      : null;
    const query = jobsToRematchQuery(talentId, side, this.settings.matchesPerJob);
    const jobIds = ((await tx.query(query.sql, query.params)) as Array<{ job_id: string }>).map((r) => r.job_id);
    for (const jobId of jobIds) await this.rematchJob(tx, jobId, 'TALENT_CHANGED', traceparent);
    return jobIds;
  }

  /**
   * Writes a job's new list in one statement: drops talents no longer on it, keeps the id
   * and createdAt of those still on it, and keeps the job's bookkeeping (match count,
   * lowest score, first match time). Returns whether the list changed.
   */
  private async replace(tx: EntityManager, jobId: string, matches: RankedTalent[]): Promise<boolean> {
    const rows = matches.map((m) => ({ talent_id: m.talentId, score: clampScore(m.score), rank: m.rank, reasons: m.reasons }));
    const [{ changed }]: Array<{ changed: number }> = await tx.query(
      `WITH input AS (
         SELECT t.talent_id, t.score, t.rank, t.reasons
           FROM jsonb_to_recordset($2::jsonb) AS t(talent_id uuid, score float8, rank int, reasons text[])
       ), removed AS (
         DELETE FROM matches m
          WHERE m.job_id = $1 AND NOT EXISTS (SELECT 1 FROM input i WHERE i.talent_id = m.talent_id)
         RETURNING 1
       ), written AS (
         INSERT INTO matches AS m (id, job_id, talent_id, score, rank, reasons)
         SELECT gen_random_uuid(), $1, i.talent_id, i.score, i.rank, i.reasons FROM input i
         ON CONFLICT (job_id, talent_id) DO UPDATE
           SET score = excluded.score, rank = excluded.rank, reasons = excluded.reasons, updated_at = now()
           WHERE (m.score, m.rank, m.reasons) IS DISTINCT FROM (excluded.score, excluded.rank, excluded.reasons)
         RETURNING 1
       ), job AS (
         UPDATE jobs
            SET match_count = $3, min_match_score = $4::float8, ranked_at = now(),
                first_match_at = CASE WHEN first_match_at IS NULL AND $3 > 0 THEN now() ELSE first_match_at END
          WHERE id = $1
         RETURNING 1
       )
       SELECT ((SELECT count(*) FROM removed) + (SELECT count(*) FROM written))::int AS changed`,
      [jobId, JSON.stringify(rows), rows.length, rows.length ? rows[rows.length - 1].score : null],
    );
    return changed > 0;
  }

  /**
   * Job.matches: the job's client (from JobPosted) and admins see them, by rank; anybody
   * else (anonymous callers included) sees none: an empty list rather than an error, so that
   * a list of jobs asking for matches still reaches everyone. A job matching has not heard of
   * yet has no matches.
   */
  async visibleMatches(caller: AuthUser | null, jobId: string, first: number): Promise<MatchRecord[]> {
    if (!caller || !isUuid(jobId)) return [];
    const job = await this.dataSource.getRepository(JobRecord).findOneBy({ id: jobId });
    if (!job) return [];
    if (job.clientId !== caller.id.toLowerCase() && !hasRole(caller, 'ADMIN')) return [];
    return this.dataSource.getRepository(MatchRecord).find({ where: { jobId }, order: { rank: 'ASC' }, take: first });
  }
}
