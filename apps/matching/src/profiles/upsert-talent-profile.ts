import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import { TalentProfileUpdated } from '@talent/events';
import { callerOf, EventPublisher, inUseCaseTransaction, parseCommand, type UseCase, type UseCaseContext, requireRole } from '@talent/platform';
import { isEligible } from '../eligibility/eligibility';
import { EligibilityService } from '../eligibility/eligibility.service';
import { MatchesService } from '../matches/matches.service';
import { reputationScore } from '../ranking/scoring';
import { TalentProfileCommand } from './profile-input';
import { ProfilesService } from './profiles.service';
import type { TalentProfileRecord } from './talent-profile.entity';

/**
 * Use case: a TALENT creates or replaces their own profile; TalentProfileUpdated is emitted and
 * the open jobs the change can affect are re-ranked, all in one transaction (under the talent's
 * eligibility lock, so no event about them can decide from the profile as it was).
 */
@Injectable()
export class UpsertTalentProfile implements UseCase<z.input<typeof TalentProfileCommand>, TalentProfileRecord> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly eligibility: EligibilityService,
    private readonly profiles: ProfilesService,
    private readonly matches: MatchesService,
  ) {}

  async execute(ctx: UseCaseContext, input: z.input<typeof TalentProfileCommand>): Promise<TalentProfileRecord> {
    const caller = callerOf(ctx);
    requireRole(caller, 'TALENT');
    const profile = parseCommand(TalentProfileCommand, input);
    return inUseCaseTransaction(ctx, this.dataSource, async (tx) => {
      const state = await this.eligibility.lockTalent(tx, caller.id);
      const before = await this.profiles.findByUserId(tx, caller.id);
      const [reputation]: Array<{ average_rating: number; ratings_count: number }> = await tx.query(
        `SELECT average_rating, ratings_count FROM talent_reputation WHERE talent_id = $1`,
        [caller.id],
      );
      const averageRating = reputation?.average_rating ?? null;
      const ratingsCount = reputation?.ratings_count ?? 0;
      const eligible = isEligible(state, profile.openToWork);
      const [{ updated_at: updatedAt }]: Array<{ updated_at: Date }> = await tx.query(
        `INSERT INTO talent_profiles AS p (user_id, eligible, currency, years_experience, rep_score, country, skills, hourly_rate,
                                           average_rating, ratings_count, hours_per_week, open_to_work, headline, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::text[], $8::numeric, $9, $10, $11, $12, $13, now(), now())
         ON CONFLICT (user_id) DO UPDATE SET
           eligible = excluded.eligible, currency = excluded.currency, years_experience = excluded.years_experience,
           rep_score = excluded.rep_score, country = excluded.country, skills = excluded.skills, hourly_rate = excluded.hourly_rate,
           average_rating = excluded.average_rating, ratings_count = excluded.ratings_count, hours_per_week = excluded.hours_per_week,
           open_to_work = excluded.open_to_work, headline = excluded.headline, updated_at = excluded.updated_at
         RETURNING p.updated_at`,
        [
          caller.id,
          eligible,
          profile.hourlyRate.currency,
          profile.yearsExperience,
          reputationScore(averageRating, ratingsCount),
          profile.country,
          profile.skills,
          profile.hourlyRate.amount,
          averageRating,
          ratingsCount,
          profile.hoursPerWeek,
          profile.openToWork,
          profile.headline,
        ],
      );
      await this.events.publish(
        tx,
        TalentProfileUpdated,
        {
          talentId: caller.id,
          skills: profile.skills,
          yearsExperience: profile.yearsExperience,
          hourlyRate: profile.hourlyRate,
          country: profile.country,
          hoursPerWeek: profile.hoursPerWeek,
          openToWork: profile.openToWork,
          updatedAt: new Date(updatedAt).toISOString(),
        },
        { traceparent: ctx.traceparent },
      );
      if (eligible || before?.eligible) await this.matches.rematchForTalent(tx, caller.id, ctx.traceparent);
      return (await this.profiles.findByUserId(tx, caller.id)) as TalentProfileRecord;
    });
  }
}
