import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { JobClosed, JobPosted, type EnvelopeOf, type PayloadOf } from '@talent/events';
import { OnEvent } from '@talent/platform';
import { MatchesService } from '../matches/matches.service';
import { normaliseSkills } from '../profiles/profile-input';
import { rateCap, rateFactor } from '../ranking/scoring';

/**
 * Consumes jobs.events.v1: keeps the jobs projection ranking needs, ranks talent for a
 * newly posted job (same transaction as the inbox record), and stops re-matching a job
 * once it is closed or filled (its matches stay as they were).
 */
@Injectable()
export class JobsProjection {
  constructor(private readonly matches: MatchesService) {}

  @OnEvent(JobPosted)
  async onJobPosted(event: EnvelopeOf<typeof JobPosted>, tx: EntityManager): Promise<void> {
    await this.matches.lockForJobPosting(tx);
    if (await this.record(tx, event.payload)) {
      await this.matches.rematchJob(tx, event.payload.jobId, 'JOB_POSTED', event.traceparent);
    }
  }

  @OnEvent(JobClosed)
  async onJobClosed(event: EnvelopeOf<typeof JobClosed>, tx: EntityManager): Promise<void> {
    const { jobId, status, closedAt } = event.payload;
    await tx.query(`UPDATE jobs SET status = $2, closed_at = $3 WHERE id = $1 AND status = 'OPEN'`, [jobId, status, closedAt]);
  }

  /** Stores a posted job; false when it was already known. */
  async record(tx: EntityManager, job: PayloadOf<typeof JobPosted>): Promise<boolean> {
    const skills = normaliseSkills(job.skills);
    const inserted: unknown[] = await tx.query(
      `INSERT INTO jobs (id, client_id, organization_id, title, skills, countries, min_years_experience, currency, budget_min, budget_max,
                         budget_unit, hours_per_week, duration_weeks, rate_factor, rate_cap, posted_at)
       VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9::numeric, $10::numeric, $11, $12, $13, $14, $15, $16)
       ON CONFLICT (id) DO NOTHING
       RETURNING id`,
      [
        job.jobId,
        job.clientId,
        job.organizationId,
        job.title,
        skills,
        [...new Set(job.countries)],
        job.minYearsExperience,
        job.budget.currency,
        job.budget.min,
        job.budget.max,
        job.budget.unit,
        job.hoursPerWeek,
        job.durationWeeks,
        rateFactor({ unit: job.budget.unit, hoursPerWeek: job.hoursPerWeek, durationWeeks: job.durationWeeks }),
        rateCap({ unit: job.budget.unit, hoursPerWeek: job.hoursPerWeek, durationWeeks: job.durationWeeks, budgetMax: job.budget.max }),
        job.postedAt,
      ],
    );
    return inserted.length > 0;
  }
}
