import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { JobPosted } from '@talent/events';
import { assertSystem, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext } from '@talent/platform';
import { MatchesService } from '../matches/matches.service';
import { normaliseSkills } from '../profiles/profile-input';
import { rateCap, rateFactor } from '../ranking/scoring';

const RecordPostedJobCommand = JobPosted.schema;

/**
 * Use case (the system's, on JobPosted): keeps the job in the projection ranking needs and ranks
 * talent for it, in the same transaction (the consumer's, with its inbox row). A job already
 * known is left as it is, and not ranked again.
 */
@Injectable()
export class RecordPostedJob implements UseCase<z.input<typeof RecordPostedJobCommand>, void> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly matches: MatchesService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof RecordPostedJobCommand>): Promise<void> {
    assertSystem(ctx, 'RecordPostedJob');
    const job = parseCommand(RecordPostedJobCommand, input);
    const terms = { unit: job.budget.unit, hoursPerWeek: job.hoursPerWeek, durationWeeks: job.durationWeeks };
    await inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      await this.matches.lockForJobPosting(tx);
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
          normaliseSkills(job.skills),
          [...new Set(job.countries)],
          job.minYearsExperience,
          job.budget.currency,
          job.budget.min,
          job.budget.max,
          job.budget.unit,
          job.hoursPerWeek,
          job.durationWeeks,
          rateFactor(terms),
          rateCap({ ...terms, budgetMax: job.budget.max }),
          job.postedAt,
        ],
      );
      if (inserted.length > 0) await this.matches.rematchJob(tx, job.jobId, 'JOB_POSTED', ctx.traceparent);
    });
  }
}
