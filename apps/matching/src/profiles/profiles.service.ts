import { Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager } from 'typeorm';
import { TalentProfileUpdated } from '@talent/events';
import { EventPublisher, inTransaction, type AuthUser } from '@talent/platform';
import { isEligible } from '../eligibility/eligibility';
import { EligibilityService } from '../eligibility/eligibility.service';
import { MatchesService } from '../matches/matches.service';
import { reputationScore } from '../ranking/scoring';
import { normaliseProfileInput, type ProfileInput } from './profile-input';
import { TalentProfileRecord } from './talent-profile.entity';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventPublisher,
    private readonly eligibility: EligibilityService,
    private readonly matches: MatchesService,
  ) {}

  findByUserId(userId: string, tx: EntityManager = this.dataSource.manager): Promise<TalentProfileRecord | null> {
    return tx.getRepository(TalentProfileRecord).findOneBy({ userId });
  }

  /** The profiles of many users (lower-case UUIDs) in one query; users without one are absent. */
  async findByUserIds(userIds: readonly string[]): Promise<Map<string, TalentProfileRecord>> {
    const profiles = await this.dataSource.getRepository(TalentProfileRecord).findBy({ userId: In([...userIds]) });
    return new Map(profiles.map((p) => [p.userId, p]));
  }

  /**
   * Creates or replaces the caller's profile (TALENT only, checked by the resolver), emits
   * TalentProfileUpdated, and re-ranks the open jobs the change can affect, all in one transaction.
   */
  upsert(caller: AuthUser, input: ProfileInput, traceparent?: string): Promise<TalentProfileRecord> {
    const profile = normaliseProfileInput(input);
    return inTransaction(this.dataSource, async (tx) => {
      const state = await this.eligibility.lockTalent(tx, caller.id);
      const before = await this.findByUserId(caller.id, tx);
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
        { traceparent },
      );
      if (eligible || before?.eligible) await this.matches.rematchForTalent(tx, caller.id, traceparent);
      return (await this.findByUserId(caller.id, tx)) as TalentProfileRecord;
    });
  }

  /**
   * Recomputes a profile's `eligible` flag from talent_eligibility (the caller holds the
   * talent's lock). Null when the talent has no profile yet.
   */
  async syncEligibility(tx: EntityManager, talentId: string): Promise<{ before: boolean; after: boolean } | null> {
    const profile = await this.findByUserId(talentId, tx);
    if (!profile) return null;
    const [state] = await tx.query(`SELECT member, screening FROM talent_eligibility WHERE talent_id = $1`, [talentId]);
    const after = isEligible(state ?? null, profile.openToWork);
    if (after !== profile.eligible) {
      await tx.query(`UPDATE talent_profiles SET eligible = $2 WHERE user_id = $1`, [talentId, after]);
    }
    return { before: profile.eligible, after };
  }

  /** Copies a talent's reputation into their profile; returns whether they have an eligible profile. */
  async applyReputation(tx: EntityManager, talentId: string, averageRating: number, ratingsCount: number): Promise<boolean> {
    // TypeORM hands back [rows, count] for UPDATE.
    const [rows]: [Array<{ eligible: boolean }>, number] = await tx.query(
      `UPDATE talent_profiles SET average_rating = $2, ratings_count = $3, rep_score = $4 WHERE user_id = $1 RETURNING eligible`,
      [talentId, averageRating, ratingsCount, reputationScore(averageRating, ratingsCount)],
    );
    return rows[0]?.eligible ?? false;
  }
}
